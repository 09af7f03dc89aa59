package io.rfs.tools.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one phase of a workload: N client threads, each making one request at a time (closed loop: a client sends
 * its next request when the last one is answered), until the {@link StopCondition} says stop. Each client records
 * into histograms of its own, merged when the phase ends, so that recording costs no contention.
 * <p>
 * A failed request is counted and the client goes on; the phase does not stop for it.
 */
public final class LoadRunner
{
    private final int clients;
    private final long seed;

    /**
     * @param clients how many concurrent clients, at least 1.
     * @param seed    seeds each client's random source ({@code seed + client}).
     */
    public LoadRunner(final int clients, final long seed)
    {
        if (clients < 1)
        {
            throw new IllegalArgumentException("clients=" + clients + " must be at least 1");
        }
        this.clients = clients;
        this.seed = seed;
    }

    /**
     * @return how many concurrent clients each phase runs.
     */
    public int clients()
    {
        return clients;
    }

    /**
     * Runs a phase to its end.
     *
     * @param mix      what the clients do.
     * @param stop     when they stop.
     * @param timeline where to count completions over time, or null.
     * @return per operation name, in the mix's order, what was measured.
     * @throws InterruptedException if the calling thread is interrupted; the clients are stopped first.
     */
    public Map<String, Measurement> run(final OperationMix mix, final StopCondition stop, final Timeline timeline)
        throws InterruptedException
    {
        return run(mix, stop, timeline, () -> false);
    }

    /**
     * Runs a phase until its {@link StopCondition} or an outside event, whichever comes first, such as a repair
     * that the phase measures the clients beside.
     *
     * @param mix      what the clients do.
     * @param stop     when they stop at the latest.
     * @param timeline where to count completions over time, or null.
     * @param stopNow  asked before each request; true ends the phase (requests in progress are finished).
     * @return per operation name, in the mix's order, what was measured.
     * @throws InterruptedException if the calling thread is interrupted; the clients are stopped first.
     */
    public Map<String, Measurement> run(
        final OperationMix mix, final StopCondition stop, final Timeline timeline, final BooleanSupplier stopNow)
        throws InterruptedException
    {
        final AtomicLong claimed = new AtomicLong();
        final ClientState[] states = new ClientState[clients];
        final List<Thread> threads = new ArrayList<>(clients);
        final long startNs = System.nanoTime();
        final long deadlineNs = stop.isCounted() ? Long.MAX_VALUE : startNs + stop.durationNs();
        for (int c = 0; c < clients; c++)
        {
            final ClientState state = new ClientState(mix.size(), new SplittableRandom(seed + c));
            states[c] = state;
            final int client = c;
            final Thread thread = new Thread(
                () -> runClient(client, state, mix, stop, stopNow, claimed, deadlineNs, timeline),
                "rfs-bench-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try
        {
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
        catch (final InterruptedException ex)
        {
            threads.forEach(Thread::interrupt);
            throw ex;
        }
        final long elapsedNs = System.nanoTime() - startNs;
        return merge(mix, states, elapsedNs);
    }

    private static void runClient(
        final int client,
        final ClientState state,
        final OperationMix mix,
        final StopCondition stop,
        final BooleanSupplier stopNow,
        final AtomicLong claimed,
        final long deadlineNs,
        final Timeline timeline)
    {
        long sequence = 0;
        while (!Thread.currentThread().isInterrupted())
        {
            if (stopNow.getAsBoolean() ||
                (stop.isCounted() ? claimed.getAndIncrement() >= stop.operations() : System.nanoTime() >= deadlineNs))
            {
                return;
            }
            final int kind = mix.choose(state.random);
            final long startNs = System.nanoTime();
            try
            {
                final long bytes = mix.operation(kind).execute(client, sequence, state.random);
                final long endNs = System.nanoTime();
                state.latencies[kind].recordValue(Math.min(Measurement.HIGHEST_TRACKABLE_NS, endNs - startNs));
                state.bytes[kind] += bytes;
                if (timeline != null)
                {
                    timeline.recordCompletion(endNs);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            catch (final Exception ex)
            {
                state.errors[kind]++;
                state.firstError.compareAndSet(null, mix.names().get(kind) + ": " + ex);
            }
            sequence++;
        }
    }

    private static Map<String, Measurement> merge(final OperationMix mix, final ClientState[] states,
        final long elapsedNs)
    {
        final Map<String, Measurement> results = new LinkedHashMap<>();
        for (int kind = 0; kind < mix.size(); kind++)
        {
            final Histogram merged = Measurement.newHistogram();
            long bytes = 0;
            long errors = 0;
            String firstError = null;
            for (final ClientState state : states)
            {
                merged.add(state.latencies[kind]);
                bytes += state.bytes[kind];
                errors += state.errors[kind];
                if (firstError == null)
                {
                    firstError = state.firstError.get();
                }
            }
            results.put(mix.names().get(kind),
                new Measurement(merged.getTotalCount(), errors, bytes, elapsedNs, merged, firstError));
        }
        return results;
    }

    /**
     * One client's counters, written only by its own thread and read after it has been joined.
     */
    private static final class ClientState
    {
        final SplittableRandom random;
        final Histogram[] latencies;
        final long[] bytes;
        final long[] errors;
        final AtomicReference<String> firstError = new AtomicReference<>();

        ClientState(final int kinds, final SplittableRandom random)
        {
            this.random = random;
            this.latencies = new Histogram[kinds];
            this.bytes = new long[kinds];
            this.errors = new long[kinds];
            for (int i = 0; i < kinds; i++)
            {
                latencies[i] = Measurement.newHistogram();
            }
        }
    }
}
