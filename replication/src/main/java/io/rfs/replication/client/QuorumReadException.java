package io.rfs.replication.client;

import io.rfs.store.RfsException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read that could not reach its consistency level: fewer than R of the key's N owners answered before the
 * deadline, or (for a chunk) no replica could be reached at all. Nothing was returned to the caller.
 */
public final class QuorumReadException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final int required;
    private final int answers;
    private final Map<Integer, ReplicaFailure> failures;

    /**
     * @param key      what was read, for the message ("manifest 'a/b' at QUORUM").
     * @param required R.
     * @param replicas N, the owners asked.
     * @param answers  owners that answered.
     * @param failures node id to why it did not, in the order of the replica set.
     */
    public QuorumReadException(
        final String key,
        final int required,
        final int replicas,
        final int answers,
        final Map<Integer, ReplicaFailure> failures)
    {
        super(key + " got " + answers + " of the " + required + " answers required from " + replicas +
            " replicas; failed: " + describe(failures));
        this.required = required;
        this.answers = answers;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    static String describe(final Map<Integer, ReplicaFailure> failures)
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
     * @return R.
     */
    public int required()
    {
        return required;
    }

    /**
     * @return replicas that answered.
     */
    public int answers()
    {
        return answers;
    }

    /**
     * @return node id to why that replica did not answer, in replica-set order; unmodifiable.
     */
    public Map<Integer, ReplicaFailure> failures()
    {
        return failures;
    }
}
