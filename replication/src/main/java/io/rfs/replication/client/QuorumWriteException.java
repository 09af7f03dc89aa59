package io.rfs.replication.client;

import io.rfs.store.RfsException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A write that could not reach its consistency level: fewer than W of its N owners (and, in {@code availability}
 * partition mode, of the stand-ins asked in their place) acknowledged it before the deadline. The message names every
 * node that did not acknowledge and why, stand-ins with the owner they stood in for. The replicas that did
 * acknowledge keep what they wrote; repair brings the others up to date, or the caller retries (writes of a chunk or
 * a manifest version are idempotent).
 */
public final class QuorumWriteException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final int required;
    private final int acknowledgements;
    private final Map<Integer, ReplicaFailure> failures;
    private final Map<Integer, Integer> standIns;

    /**
     * @param key              what was written, for the message ("chunk 3fa2..." or "manifest 'a/b'").
     * @param required         W.
     * @param replicas         N, the owners the write went to.
     * @param acknowledgements owners that acknowledged.
     * @param failures         node id to why it did not, in the order of the replica set.
     */
    public QuorumWriteException(
        final String key,
        final int required,
        final int replicas,
        final int acknowledgements,
        final Map<Integer, ReplicaFailure> failures)
    {
        this(key, required, replicas, acknowledgements, failures, Map.of());
    }

    /**
     * @param key              what was written, for the message ("chunk 3fa2..." or "manifest 'a/b'").
     * @param required         W.
     * @param replicas         N, the owners the write went to.
     * @param acknowledgements owners and stand-ins that acknowledged.
     * @param failures         node id to why it did not: owners in replica-set order, then stand-ins.
     * @param standIns         stand-in node id to the owner it was asked to stand in for (a hinted write), for each
     *                         stand-in in {@code failures}; empty in {@code consistency} mode.
     */
    public QuorumWriteException(
        final String key,
        final int required,
        final int replicas,
        final int acknowledgements,
        final Map<Integer, ReplicaFailure> failures,
        final Map<Integer, Integer> standIns)
    {
        super(key + " reached " + acknowledgements + " of the " + required + " acknowledgements required from " +
            replicas + " replicas; failed: " + describe(failures, standIns));
        this.required = required;
        this.acknowledgements = acknowledgements;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        this.standIns = Collections.unmodifiableMap(new LinkedHashMap<>(standIns));
    }

    private static String describe(final Map<Integer, ReplicaFailure> failures, final Map<Integer, Integer> standIns)
    {
        if (failures.isEmpty())
        {
            return "none (too few replicas in the ring)";
        }
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<Integer, ReplicaFailure> entry : failures.entrySet())
        {
            if (text.length() > 0)
            {
                text.append(", ");
            }
            text.append("node ").append(entry.getKey()).append(' ').append(entry.getValue());
            final Integer owner = standIns.get(entry.getKey());
            if (owner != null)
            {
                text.append(" (stand-in for node ").append(owner).append(')');
            }
        }
        return text.toString();
    }

    /**
     * @return W.
     */
    public int required()
    {
        return required;
    }

    /**
     * @return replicas that acknowledged.
     */
    public int acknowledgements()
    {
        return acknowledgements;
    }

    /**
     * @return node id to why that node did not acknowledge: owners in replica-set order, then stand-ins;
     * unmodifiable.
     */
    public Map<Integer, ReplicaFailure> failures()
    {
        return failures;
    }

    /**
     * @return stand-in node id to the owner it stood in for, for the stand-ins in {@link #failures()}; unmodifiable,
     * empty unless the write ran in {@code availability} partition mode and asked stand-ins.
     */
    public Map<Integer, Integer> standIns()
    {
        return standIns;
    }
}
