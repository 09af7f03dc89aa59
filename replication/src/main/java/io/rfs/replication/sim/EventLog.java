package io.rfs.replication.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What happened in one run, in order, stamped with virtual time: every line goes into a running SHA-256 (two runs
 * of one seed must produce the same hash, which is how determinism is tested) and the last {@link #TRACE_LINES}
 * are kept as the trace a failing run prints.
 */
final class EventLog
{
    static final int TRACE_LINES = 40;

    private final LongSupplier virtualNs;
    private final Consumer<String> sink;
    private final MessageDigest digest;
    private final ArrayDeque<String> tail = new ArrayDeque<>(TRACE_LINES);
    private long count;

    /**
     * @param virtualNs the virtual clock.
     * @param sink      also told every line (to replay a seed with its whole log), or null.
     */
    EventLog(final LongSupplier virtualNs, final Consumer<String> sink)
    {
        this.virtualNs = virtualNs;
        this.sink = sink;
        try
        {
            this.digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    void record(final String event)
    {
        final String line = String.format("%,14.6f ms  %s", virtualNs.getAsLong() / 1e6, event);
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte)'\n');
        count++;
        if (tail.size() == TRACE_LINES)
        {
            tail.removeFirst();
        }
        tail.addLast(line);
        if (sink != null)
        {
            sink.accept(line);
        }
    }

    long count()
    {
        return count;
    }

    /**
     * @return the hash of every line so far, hex; ends the log.
     */
    String finish()
    {
        return HexFormat.of().formatHex(digest.digest());
    }

    List<String> trace()
    {
        return List.copyOf(tail);
    }
}
