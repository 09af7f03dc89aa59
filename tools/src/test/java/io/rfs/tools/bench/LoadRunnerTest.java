package io.rfs.tools.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class LoadRunnerTest
{
    @Test
    void shouldMakeExactlyTheOperationsAskedForAcrossAllClients() throws Exception
    {
        final Map<Integer, AtomicLong> perClient = new ConcurrentHashMap<>();
        final Map<String, Measurement> measured = new LoadRunner(4, 1).run(OperationMix.of("op",
            (client, sequence, random) ->
            {
                perClient.computeIfAbsent(client, c -> new AtomicLong()).incrementAndGet();
                return 10;
            }), StopCondition.afterOperations(1000), null);

        final Measurement op = measured.get("op");
        assertThat(op.operations()).isEqualTo(1000);
        assertThat(op.errors()).isZero();
        assertThat(op.bytes()).isEqualTo(10_000);
        assertThat(op.latencyNs().getTotalCount()).isEqualTo(1000);
        assertThat(perClient.keySet()).allMatch(client -> client >= 0 && client < 4);
        assertThat(perClient.values().stream().mapToLong(AtomicLong::get).sum()).isEqualTo(1000);
    }

    @Test
    void shouldCountFailuresApartAndKeepTheFirstMessage() throws Exception
    {
        final Measurement op = new LoadRunner(2, 1).run(OperationMix.of("op", (client, sequence, random) ->
            {
                if (sequence % 2 == 1)
                {
                    throw new IOException("odd");
                }
                return 1;
            }), StopCondition.afterOperations(100), null).get("op");

        assertThat(op.operations() + op.errors()).isEqualTo(100);
        assertThat(op.errors()).isBetween(49L, 51L);
        assertThat(op.latencyNs().getTotalCount()).isEqualTo(op.operations());
        assertThat(op.firstError()).isEqualTo("op: java.io.IOException: odd");
    }

    @Test
    void shouldSplitAMixByWeightAndReportEachOperationApart() throws Exception
    {
        final Map<String, Measurement> measured = new LoadRunner(2, 7).run(new OperationMix()
                .add("read", 0.9, (client, sequence, random) -> 1)
                .add("write", 0.1, (client, sequence, random) -> 100),
            StopCondition.afterOperations(10_000), null);

        assertThat(measured.keySet()).containsExactly("read", "write");
        final long reads = measured.get("read").operations();
        final long writes = measured.get("write").operations();
        assertThat(reads + writes).isEqualTo(10_000);
        assertThat(writes).isBetween(800L, 1200L);
        assertThat(measured.get("write").bytes()).isEqualTo(100 * writes);
    }

    @Test
    void shouldStopAfterTheDurationAndCountCompletionsOnTheTimeline() throws Exception
    {
        final Timeline timeline = new Timeline("t", System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50));
        final Measurement op = new LoadRunner(2, 3).run(OperationMix.of("op", (client, sequence, random) ->
            {
                Thread.sleep(1);
                return 0;
            }), StopCondition.after(200, TimeUnit.MILLISECONDS), timeline).get("op");
        final long endNs = System.nanoTime();

        assertThat(op.elapsedNs()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(op.operations()).isPositive();
        long counted = 0;
        for (final long count : timeline.counts(endNs))
        {
            counted += count;
        }
        assertThat(counted).isEqualTo(op.operations());
    }

    @Test
    void shouldEndThePhaseWhenToldToStopBeforeItsOwnEnd() throws Exception
    {
        final AtomicLong made = new AtomicLong();
        final Measurement op = new LoadRunner(3, 5).run(OperationMix.of("op", (client, sequence, random) ->
            {
                made.incrementAndGet();
                return 0;
            }), StopCondition.after(1, TimeUnit.HOURS), null, () -> made.get() >= 500).get("op");

        assertThat(op.operations()).as("each client finishes the request it had begun")
            .isBetween(500L, 500L + 3);
    }
}
