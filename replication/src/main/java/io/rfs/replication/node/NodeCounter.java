package io.rfs.replication.node;

/**
 * What a node counts. Each counter has exactly one writer, the agent named in its description.
 */
public enum NodeCounter
{
    /** Network agent: requests handed to the storage agent. */
    REQUESTS,
    /** Network agent: requests refused with {@code Error OVERLOADED} because the storage queue was full. */
    OVERLOADED,
    /** Network agent: requests refused with {@code Error OVERLOADED} because the node is shutting down. */
    REFUSED_SHUTTING_DOWN,
    /** Network agent: messages whose body failed its decoder's checks, answered {@code Error MALFORMED}. */
    MALFORMED,
    /** Network agent: messages of a type protocol version 1 does not define, answered {@code Error UNKNOWN_TYPE}. */
    UNKNOWN_TYPE,
    /** Network agent: messages the sender's role may not send, answered {@code Error NOT_AUTHORISED}. */
    NOT_AUTHORISED,
    /** Network agent: leader orders of a kind this node does not carry out, dropped (none in this version). */
    UNSUPPORTED,
    /** Network agent: responses and errors that answer nothing this node asked, dropped. */
    UNEXPECTED,
    /** Network agent: outcomes of handoff requests dropped because the storage queue was full. */
    OUTCOMES_DROPPED,
    /** Network agent: responses the transport took. */
    RESPONSES_SENT,
    /** Network agent: responses dropped because the transport refused them (or the destination) too long. */
    RESPONSES_DROPPED,
    /** Storage agent: chunks written. */
    CHUNKS_WRITTEN,
    /** Storage agent: chunk puts of a chunk already held. */
    CHUNKS_ALREADY_HELD,
    /** Storage agent: received chunks refused as {@code CORRUPT}: they did not decode or hash to their id. */
    CORRUPT_CHUNKS_REFUSED,
    /** Storage agent: stored chunks or manifests that failed their checks when read, answered {@code CORRUPT}. */
    CORRUPT_RECORDS_FOUND,
    /** Storage agent: manifests written. */
    MANIFESTS_WRITTEN,
    /** Storage agent: group commits, each one force per log written to. */
    GROUP_COMMITS,
    /** Storage agent: writes refused with {@code DISK_FULL}. */
    DISK_FULL,
    /** Storage agent: requests answered {@code ERROR} or {@code Error INTERNAL} because of a failure. */
    STORAGE_ERRORS,
    /** Storage agent: hints recorded for hinted writes (a repeated hint for the same target and key counts once). */
    HINTS_STORED,
    /** Storage agent: hinted writes refused with {@code HINTS_FULL} because {@code handoff.max.hints} were pending. */
    HINTS_REFUSED_FULL,
    /** Storage agent and handoff agent (same thread): a gauge, the hints not yet delivered. */
    HINTS_PENDING,
    /** Handoff agent: requests queued to hand a hinted chunk or manifest to its owner (each ends in one outcome). */
    HANDOFF_ATTEMPTS,
    /** Handoff agent: hints delivered: the owner answered {@code OK} or {@code ALREADY_HAD}, the marker appended. */
    HINTS_DELIVERED,
    /** Handoff agent: handoffs that failed (timeout, refused offer, error, a status other than the ones below). */
    HANDOFF_FAILURES,
    /** Handoff agent: handoffs the owner answered {@code CORRUPT}: this node's copy is bad; the hint waits. */
    HANDOFF_CORRUPT,
    /** Handoff agent: hints whose chunk or manifest this node could not read (missing or failed its check). */
    HANDOFF_UNREADABLE,
    /** Storage agent: chunks re-hashed before being sent to a repair copy ({@code GetChunkRequest} with VERIFY). */
    CHUNKS_VERIFIED_FOR_COPY,
    /** Storage agent: chunks re-hashed for a {@code VerifyChunksRequest} ({@code rfs verify}). */
    CHUNKS_VERIFIED_ON_REQUEST,
    /** Network agent: copy orders taken ({@code CopyChunksRequest} of the current leader). */
    COPY_ORDERS,
    /** Network agent: copy orders refused: a stale term, or a sender that is not the leader of the term. */
    COPY_ORDERS_REFUSED,
    /** Network agent: chunks a copy order fetched, verified and stored here (or found held already). */
    COPY_CHUNKS_STORED,
    /** Network agent: chunks a copy order could not bring here (source missing or corrupt, timeout, refused put). */
    COPY_CHUNKS_FAILED,
    /** Network agent: fetched chunks the full storage queue could not take, to be fetched again after a wait. */
    COPY_CHUNKS_DEFERRED,
    /** Repair scheduler (leader): rounds started. */
    REPAIR_ROUNDS,
    /** Repair scheduler: ring ranges whose replicas' digests were compared. */
    REPAIR_RANGES_COMPARED,
    /** Repair scheduler: ranges whose replicas disagreed (or held quarantined ids), so their id lists were read. */
    REPAIR_RANGES_DIFFERENT,
    /** Repair scheduler: chunk copies ordered (one per chunk and target). */
    REPAIR_CHUNKS_SCHEDULED,
    /** Repair scheduler: chunk copies the target confirmed. */
    REPAIR_CHUNKS_COPIED,
    /** Repair scheduler: raw bytes of the confirmed copies. */
    REPAIR_BYTES_COPIED,
    /** Repair scheduler: chunk copies that failed (to be tried again next round). */
    REPAIR_COPY_FAILURES,
    /** Repair scheduler: distinct chunks found corrupt or missing on every replica, reported and not copied. */
    REPAIR_UNRECOVERABLE,
    /** Scrubber (storage thread): chunks re-hashed by the background scrub. */
    SCRUB_CHUNKS_VERIFIED,
    /** Scrubber: raw bytes of those chunks. */
    SCRUB_BYTES_VERIFIED,
    /** Scrubber: chunks the scrub found corrupt and quarantined. */
    SCRUB_CORRUPT_FOUND,
    /** Scrubber: passes finished (every chunk held at the pass's start re-hashed). */
    SCRUB_PASSES,
    /** Scrub reporter (network agent): corrupt-chunk reports sent to the leader (or handed to its own scheduler). */
    SCRUB_REPORTS_SENT,
    /** Scrub reporter: corrupt-chunk reports received from other nodes (as the leader, each starts a repair round). */
    SCRUB_REPORTS_RECEIVED,
    /** Repair scheduler: digest or id answers from a node with another ring, or that failed; ranges skipped. */
    REPAIR_ANSWERS_MISSED,
    /** Chunk reclaimer (leader): rounds started. */
    RECLAIM_ROUNDS,
    /** Chunk reclaimer: rounds that dropped nothing because a node did not answer (or restarted) part way. */
    RECLAIM_ROUNDS_INCOMPLETE,
    /** Chunk reclaimer: distinct chunk ids the nodes listed as idle for {@code repair.reclaim.grace}. */
    RECLAIM_CANDIDATES,
    /** Chunk reclaimer: of those, ids no newest live manifest references, ordered dropped. */
    RECLAIM_UNREFERENCED,
    /** Chunk reclaimer: copies the nodes confirmed dropped. */
    RECLAIM_CHUNKS_DROPPED,
    /** Chunk reclaimer: ids of drop orders that failed or were refused (found again next round). */
    RECLAIM_DROP_FAILURES,
    /** Storage agent: ids a drop order named that a put touched since the listing they came from, so kept. */
    RECLAIM_KEPT_TOUCHED,
    /**
     * Network agent: drop orders taken ({@code DropChunksRequest} or {@code DropManifestsRequest} of the leader of
     * this node's term).
     */
    DROP_ORDERS,
    /** Network agent: drop orders refused: another term, or a sender that is not the leader this node follows. */
    DROP_ORDERS_REFUSED,
    /** Storage agent: chunks a drop order dropped here (durably; compaction reclaims their bytes). */
    CHUNKS_DROPPED,
    /** Repair scheduler (leader): chunk drops ordered (one per chunk and node that no longer owns it). */
    REPAIR_DROPS_SCHEDULED,
    /** Repair scheduler: chunk drops the node confirmed. */
    REPAIR_CHUNKS_DROPPED,
    /** Storage agent: compactions run to reclaim the bytes of dropped chunks. */
    COMPACTIONS,
    /** Storage agent: segment bytes those compactions reclaimed. */
    COMPACTION_BYTES_RECLAIMED,
    /** Storage agent: compactions of the manifest log run to reclaim superseded versions and dropped names. */
    MANIFEST_COMPACTIONS,
    /** Storage agent: manifest segment bytes those compactions reclaimed. */
    MANIFEST_COMPACTION_BYTES_RECLAIMED,
    /** Manifest repair (leader): ranges whose replicas' manifest digests disagreed, so their names were listed. */
    REPAIR_MANIFEST_RANGES_DIFFERENT,
    /** Manifest repair: newest manifest versions written to an owner that lacked them or held an older one. */
    REPAIR_MANIFESTS_COPIED,
    /** Manifest repair: manifest copies that failed (to be tried again next round). */
    REPAIR_MANIFEST_COPY_FAILURES,
    /** Storage agent: names a manifest drop order dropped here (every version, durably). */
    MANIFESTS_DROPPED,
    /** Tombstone purger: deleted names forgotten once their tombstones were older than the grace period. */
    TOMBSTONES_PURGED,
    /** Manifest repair (leader): manifest drops ordered (one per name and node that no longer owns it). */
    REPAIR_MANIFEST_DROPS_SCHEDULED,
    /** Manifest repair: manifest drops the node confirmed. */
    REPAIR_MANIFESTS_DROPPED,
    /**
     * Manifest repair: digests, name lists and drop orders a node did not answer in time (or answered with another
     * ring, or refused). Apart from {@link #REPAIR_ANSWERS_MISSED}, which decides when a rebalance is in place.
     */
    REPAIR_MANIFEST_ANSWERS_MISSED
}
