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
    /** Network agent: leader orders other than log replication, dropped until repair exists. */
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
    HANDOFF_UNREADABLE
}
