package io.rfs.replication.client;

import io.rfs.store.RfsException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A write that could not reach its consistency level: fewer than W of its N owners acknowledged it before the
 * deadline. The replicas that did acknowledge keep what they wrote; repair brings the others up to date, or the
 * caller retries (writes of a chunk or a manifest version are idempotent).
 */
public final class QuorumWriteException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final int required;
    private final int acknowledgements;
    private final Map<Integer, ReplicaFailure> failures;

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
        super(key + " reached " + acknowledgements + " of the " + required + " acknowledgements required from " +
            replicas + " replicas; failed: " + describe(failures));
        this.required = required;
        this.acknowledgements = acknowledgements;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    private static String describe(final Map<Integer, ReplicaFailure> failures)
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
     * @return node id to why that replica did not acknowledge, in replica-set order; unmodifiable.
     */
    public Map<Integer, ReplicaFailure> failures()
    {
        return failures;
    }
}
