package io.rfs.replication.sim;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one seed's run ended. Everything but {@link #wallNs} and {@link #cpuNs} is the same on every run of the seed.
 *
 * @param seed          the seed.
 * @param virtualNs     virtual time simulated, faults and healing.
 * @param faults        faults injected, by kind.
 * @param operationKinds operations started, by kind.
 * @param outcomes      how the operator's operations (verify, repair, add and remove node) ended, by
 *                      "operation outcome".
 * @param operations    operations started, every kind.
 * @param acknowledged  puts and deletes acknowledged.
 * @param unavailable   reads and writes that failed for want of replicas (allowed under faults).
 * @param violations    broken invariants, empty if none; the run stops at the first.
 * @param eventHash     SHA-256 of the event log.
 * @param trace         the last lines of the event log.
 * @param wallNs        wall-clock time the run took.
 * @param cpuNs         CPU time of the thread that ran it (a rate that does not depend on the machine's load).
 */
public record SimulationResult(
    long seed,
    long virtualNs,
    Map<FaultKind, Long> faults,
    Map<OperationKind, Long> operationKinds,
    Map<String, Long> outcomes,
    long operations,
    long acknowledged,
    long unavailable,
    List<String> violations,
    String eventHash,
    List<String> trace,
    long wallNs,
    long cpuNs)
{
    public SimulationResult
    {
        faults = new EnumMap<>(faults);
        operationKinds = new EnumMap<>(operationKinds);
        outcomes = new TreeMap<>(outcomes);
        violations = List.copyOf(violations);
        trace = List.copyOf(trace);
    }

    public boolean passed()
    {
        return violations.isEmpty();
    }

    /**
     * @return the seed's report without wall-clock figures: identical on every run of the seed.
     */
    public String describe()
    {
        final StringBuilder text = new StringBuilder();
        text.append("seed ").append(seed).append(": ").append(passed() ? "ok" : "VIOLATION")
            .append(", virtual ").append(String.format("%.1f", virtualNs / 1e9)).append(" s, ")
            .append(operations).append(" operations, ").append(acknowledged).append(" acknowledged, ")
            .append(unavailable).append(" unavailable, faults ").append(faults)
            .append(", operations ").append(operationKinds).append(", outcomes ").append(outcomes)
            .append(", event log ").append(eventHash, 0, 16).append('\n');
        for (final String violation : violations)
        {
            text.append("  violation: ").append(violation).append('\n');
        }
        if (!passed())
        {
            text.append("  trace (last ").append(trace.size()).append(" events):\n");
            for (final String line : trace)
            {
                text.append("    ").append(line).append('\n');
            }
        }
        return text.toString();
    }
}
