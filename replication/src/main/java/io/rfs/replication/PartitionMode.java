package io.rfs.replication;

/**
 * What a put does when fewer than W of a key's owners can be reached (the {@code partition.mode} setting): the
 * explicit choice PACELC asks for, made once per cluster rather than discovered in an outage.
 */
public enum PartitionMode
{
    /**
     * Refuse: the put fails with an error naming the unreachable owners, and the previous version stays readable.
     * An acknowledged put is on W owners, so a read of R owners (W + R > N) sees it. The default.
     */
    CONSISTENCY,
    /**
     * Sloppy quorum: for each owner that is down, write to the next live node of the key's preference list
     * ({@code io.rfs.replication.ring.PreferenceList#substitutes}) with a hint naming the owner; count a stand-in's
     * acknowledgement towards W only if it says the hint is recorded ({@code HINT_RECORDED}). The stand-in hands
     * the data to the owner when it is back (hinted handoff). The put succeeds through a partition, but until the
     * handoff completes a read of R owners may miss it.
     */
    AVAILABILITY
}
