package io.rfs.tools.bench;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.BalancerKind;
import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.RfsClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code balancers}: the read balancers compared with one node slowed down. The mixed workload's files are written,
 * one node's chunk reads are delayed ({@link BenchSettings#slowDelayNs()}, node setting
 * {@code storage.chunk.read.delay}, changed while it runs), and then, for each {@link BalancerKind} in turn, a new client with that
 * {@code read.balancer} runs one phase of gets of random files and, unless the read ratio is 1, one phase of the
 * mixed requests. The delay is taken off at the end.
 * <p>
 * Only chunk reads are slowed: those are what a balancer sends to one replica of its choice. The quorum manifest
 * read of every get goes to all the name's owners and completes at R answers, so a slow owner holds it up only at
 * ALL; the comparison is fairest at ONE or QUORUM.
 */
public final class BalancersWorkload implements Workload
{
    @Override
    public String name()
    {
        return "balancers";
    }

    @Override
    public void run(final BenchTarget target, final ConsistencyLevel level, final BenchSettings settings,
        final BenchResults results) throws IOException, InterruptedException
    {
        final NodeControl nodes = target.nodes();
        if (nodes == null || target.clients() == null)
        {
            throw new IllegalStateException("balancers needs a cluster one of whose nodes this process can slow " +
                "down, and clients it can open");
        }
        final int slow = nodes.nodeOrHighest(settings.slowNode());
        final String prefix = Workload.prefix(this, level, settings);
        new MixedFiles(target, level, settings, prefix).preload();

        final String how = nodes.slowDown(slow, settings.slowDelayNs());
        final List<OperationResult> gets = new ArrayList<>();
        try
        {
            for (final BalancerKind kind : BalancerKind.values())
            {
                try (RfsClient client = target.clients().open(kind))
                {
                    final MixedFiles files = new MixedFiles(target.withClient(client), level, settings, prefix);
                    final String policy = policyName(kind);
                    add(results, level, files, policy, settings.runner().run(files.reads(), settings.stop(), null),
                        settings, gets);
                    if (settings.readRatio() < 1)
                    {
                        add(results, level, files, policy + " mixed",
                            settings.runner().run(files.mix(), settings.stop(), null), settings, null);
                    }
                }
            }
        }
        finally
        {
            nodes.slowDown(slow, 0);
        }
        results.note("balancers: node " + slow + " " + how + " for every phase, 0 again after them; each " +
            "phase names the client's read.balancer");
        results.note("balancers " + level + " gets with node " + slow + " slow: " + ranking(gets));
    }

    /**
     * @param kind a balancer.
     * @return its name as the client setting {@code read.balancer} takes it, e.g. {@code least-outstanding}.
     */
    static String policyName(final BalancerKind kind)
    {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String ranking(final List<OperationResult> gets)
    {
        if (gets.isEmpty())
        {
            return "nothing measured";
        }
        final OperationResult fastest = gets.stream()
            .max(Comparator.comparingDouble(r -> r.measurement().operationsPerSecond())).orElseThrow();
        final OperationResult steadiest = gets.stream()
            .min(Comparator.comparingLong(r -> p99(r))).orElseThrow();
        return String.format(Locale.ROOT, "most ops/s %s (%.0f), lowest p99 %s (%s); the default is %s",
            fastest.phase(), fastest.measurement().operationsPerSecond(), steadiest.phase(),
            Figures.latency(p99(steadiest)), policyName(ClientContext.BALANCER_DEFAULT));
    }

    private static long p99(final OperationResult result)
    {
        return result.measurement().latencyNs().getTotalCount() == 0 ? Long.MAX_VALUE :
            result.measurement().latencyNs().getValueAtPercentile(99);
    }

    private void add(final BenchResults results, final ConsistencyLevel level, final MixedFiles files,
        final String phase, final Map<String, Measurement> measured, final BenchSettings settings,
        final List<OperationResult> gets)
    {
        measured.forEach((operation, measurement) ->
        {
            final OperationResult result = new OperationResult(name(), level.name(), operation,
                files.direction(operation), phase, settings.clients(), measurement, false, null);
            results.add(result);
            if (gets != null)
            {
                gets.add(result);
            }
        });
    }
}
