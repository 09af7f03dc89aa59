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
     * Sloppy quorum: for each owner that is down, write to the next live node of the key's preference list with a
     * hint naming the owner; the stand-in hands the data to the owner when it is back (hinted handoff). The put
     * succeeds through a partition, but until the handoff completes a read of R owners may miss it.
     * <p>
     * A writer's rules, per chunk and for the manifest alike ({@code QuorumWriter}, docs/CLIENT.md "Partitions"):
     * <ol>
     *     <li>Stand-ins: an owner that the client's {@code NodeHealth} has ejected, that has not answered within the
     *     attempt timeout, or that timed out or answered {@code Error}, is replaced by the next node of the key's
     *     {@code PreferenceList.all} beyond the N owners that is up and not yet part of the write, one in the owner's
     *     zone first.</li>
     *     <li>Send {@code PutChunkRequestEncoder.hintedFor(owner)} ({@code PutManifestRequestEncoder.hintedFor}) to
     *     each stand-in; plain writes to the owners as usual.</li>
     *     <li>Count a stand-in's {@code OK}/{@code ALREADY_HAD} towards W only if
     *     {@code isHintRecorded()}: a node that predates hints stores a hinted manifest as a plain one and will not
     *     hand it over.</li>
     *     <li>On {@code HINTS_FULL}, {@code Error MALFORMED} (an old node refusing the {@code HINTED} flag), an answer
     *     without {@code HINT_RECORDED}, a timeout or any other failure, try the next fallback, skipping nodes
     *     already used; fail the put, naming the unreachable owners and the stand-ins tried, when none is left.</li>
     * </ol>
     */
    AVAILABILITY
}
