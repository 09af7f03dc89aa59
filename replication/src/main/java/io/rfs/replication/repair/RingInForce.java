package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;

/**
 * The ring repair works by on this node: the committed ring of the cluster-metadata log once there is one, else the
 * configured one ({@link RepairContext#ring()}). Published by the network thread (which runs the cluster agent),
 * read by the storage thread, which summarises its chunks by the ring's ranges ({@link RangeDigests}).
 */
public final class RingInForce
{
    private volatile Ring ring;

    /**
     * @param initial the ring in force at start, or null.
     */
    public RingInForce(final Ring initial)
    {
        this.ring = initial;
    }

    /**
     * @return the ring in force, or null if there is none.
     */
    public Ring get()
    {
        return ring;
    }

    /**
     * @param ring the ring now in force; ignored if null.
     */
    public void set(final Ring ring)
    {
        if (ring != null && ring != this.ring)
        {
            this.ring = ring;
        }
    }
}
