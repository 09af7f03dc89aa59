package io.rfs.replication.transport.tcp;

import org.agrona.concurrent.CachedNanoClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * Steps transports by hand on the test thread: time moves only when the test says (a {@link CachedNanoClock}),
 * and a real-time deadline bounds every wait.
 */
final class Driver
{
    static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(20);

    final CachedNanoClock clock = new CachedNanoClock();
    final List<TestNode> nodes = new ArrayList<>();
    long tickNs;

    Driver()
    {
        clock.update(TimeUnit.SECONDS.toNanos(1000));
    }

    TestNode add(final TestNode node)
    {
        nodes.add(node);
        return node;
    }

    void remove(final TestNode node)
    {
        nodes.remove(node);
    }

    /**
     * Steps every node, advancing the clock by {@link #tickNs} per round, until the condition holds.
     */
    void until(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("timed out waiting for: " + what + "; counters: " + describe());
            }
            step();
        }
    }

    void step()
    {
        if (tickNs != 0)
        {
            clock.advance(tickNs);
        }
        for (int i = 0; i < nodes.size(); i++)
        {
            nodes.get(i).step();
        }
    }

    void steps(final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            step();
        }
    }

    void advance(final long nanos)
    {
        clock.advance(nanos);
    }

    String describe()
    {
        final StringBuilder builder = new StringBuilder();
        for (final TestNode node : nodes)
        {
            builder.append("\n  node ").append(node.transport.localNodeId()).append(": ")
                .append(node.transport.counters()).append(" errors=").append(Arrays.toString(
                node.errors.stream().map(Throwable::getMessage).toArray()));
        }
        return builder.toString();
    }
}
