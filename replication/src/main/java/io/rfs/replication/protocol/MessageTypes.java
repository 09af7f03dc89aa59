package io.rfs.replication.protocol;

/**
 * The message type registry of protocol version 1: ids, names, kinds, and the role table that says who may send
 * each type. {@code docs/PROTOCOL.md} holds the same table; the two must agree.
 * <p>
 * <b>Roles.</b> A connection's peer is a {@link #ROLE_CLIENT} or a {@link #ROLE_NODE}, fixed when it authenticates
 * (its certificate or its {@code Hello}). {@link #ROLE_LEADER} marks the types only the leader of the current term
 * may send: a transport lets them through from nodes only ({@link #isAllowedFrom}), and the node logic, the only
 * place that knows the current term's leader, then drops those whose source is not that leader
 * ({@link #requiresLeader}). Every lookup is an array read: no allocation, usable on the receive path.
 */
public final class MessageTypes
{
    /** A client: a {@code FileStore} over the network, the command line. */
    public static final int ROLE_CLIENT = 1;
    /** A cluster node. */
    public static final int ROLE_NODE = 2;
    /** The leader of the current term (a node). */
    public static final int ROLE_LEADER = 4;

    /** A request: the receiver answers with its response type and the same correlation id. */
    public static final int KIND_REQUEST = 1;
    /** A response to a request. */
    public static final int KIND_RESPONSE = 2;
    /** A one-way message; correlation id 0 unless it answers a request ({@link #ERROR}). */
    public static final int KIND_ONE_WAY = 3;

    /** Opens a connection: versions, role, node id, nonce. */
    public static final int HELLO = 1;
    /** First id reserved for the connection handshake (authentication), defined by the TCP transport. */
    public static final int HANDSHAKE_RESERVED_FIRST = 2;
    /** Last id reserved for the connection handshake. */
    public static final int HANDSHAKE_RESERVED_LAST = 15;
    /** A failure report: code and text; answers a request or explains why a connection closes. */
    public static final int ERROR = 16;

    public static final int PUT_CHUNK_REQUEST = 32;
    public static final int PUT_CHUNK_RESPONSE = 33;
    public static final int GET_CHUNK_REQUEST = 34;
    public static final int GET_CHUNK_RESPONSE = 35;
    public static final int HAS_CHUNKS_REQUEST = 36;
    public static final int HAS_CHUNKS_RESPONSE = 37;

    public static final int PUT_MANIFEST_REQUEST = 48;
    public static final int PUT_MANIFEST_RESPONSE = 49;
    public static final int GET_MANIFEST_REQUEST = 50;
    public static final int GET_MANIFEST_RESPONSE = 51;
    public static final int LIST_MANIFESTS_REQUEST = 52;
    public static final int LIST_MANIFESTS_RESPONSE = 53;

    public static final int HEARTBEAT = 64;
    public static final int REQUEST_VOTE = 65;
    public static final int VOTE = 66;
    public static final int APPEND_ENTRIES = 67;
    public static final int APPEND_RESPONSE = 68;
    /** Asks whether a node would vote in the next term, without anyone changing term (a {@code RequestVote} body). */
    public static final int PRE_REQUEST_VOTE = 69;
    /** The answer to a {@link #PRE_REQUEST_VOTE} (a {@code Vote} body); nothing is stored. */
    public static final int PRE_VOTE = 70;

    public static final int COPY_CHUNKS_REQUEST = 80;
    public static final int COPY_CHUNKS_RESPONSE = 81;
    public static final int RANGE_DIGEST_REQUEST = 82;
    public static final int RANGE_DIGEST_RESPONSE = 83;
    public static final int RANGE_IDS_REQUEST = 84;
    public static final int RANGE_IDS_RESPONSE = 85;
    /** A node tells the leader that its scrub found a chunk corrupt (and quarantined it), so repair replaces it. */
    public static final int CORRUPT_CHUNK_REPORT = 86;
    /** The leader orders a node to drop chunks it no longer owns once their owners all hold them (a rebalance). */
    public static final int DROP_CHUNKS_REQUEST = 87;
    public static final int DROP_CHUNKS_RESPONSE = 88;
    /** A range's names and manifest versions, for the leader's manifest repair. */
    public static final int RANGE_MANIFESTS_REQUEST = 90;
    public static final int RANGE_MANIFESTS_RESPONSE = 91;

    public static final int VERIFY_CHUNKS_REQUEST = 104;
    public static final int VERIFY_CHUNKS_RESPONSE = 105;
    public static final int REPAIR_CONTROL_REQUEST = 106;
    public static final int REPAIR_STATUS_RESPONSE = 107;
    /** The leader orders a node to drop manifests of names it no longer owns once their owners all hold as new. */
    public static final int DROP_MANIFESTS_REQUEST = 108;
    public static final int DROP_MANIFESTS_RESPONSE = 109;

    public static final int MEMBERSHIP_REQUEST = 96;
    public static final int MEMBERSHIP_RESPONSE = 97;
    public static final int RING_REQUEST = 98;
    public static final int RING_RESPONSE = 99;
    /** The leader's reclaim of unreferenced chunks asks a node for the ids nothing stored for a grace period. */
    public static final int RECLAIM_CANDIDATES_REQUEST = 100;
    public static final int RECLAIM_CANDIDATES_RESPONSE = 101;

    /** Type ids of version 1 are below this; anything at or above it is unknown. */
    public static final int TYPE_LIMIT = 256;

    private static final String[] NAMES = new String[TYPE_LIMIT];
    private static final byte[] KINDS = new byte[TYPE_LIMIT];
    private static final byte[] SENDERS = new byte[TYPE_LIMIT];
    private static final short[] RESPONSES = new short[TYPE_LIMIT];

    static
    {
        final int anyone = ROLE_CLIENT | ROLE_NODE;
        define(HELLO, "Hello", KIND_ONE_WAY, anyone, 0);
        define(ERROR, "Error", KIND_ONE_WAY, anyone, 0);

        define(PUT_CHUNK_REQUEST, "PutChunkRequest", KIND_REQUEST, anyone, PUT_CHUNK_RESPONSE);
        define(PUT_CHUNK_RESPONSE, "PutChunkResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(GET_CHUNK_REQUEST, "GetChunkRequest", KIND_REQUEST, anyone, GET_CHUNK_RESPONSE);
        define(GET_CHUNK_RESPONSE, "GetChunkResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(HAS_CHUNKS_REQUEST, "HasChunksRequest", KIND_REQUEST, anyone, HAS_CHUNKS_RESPONSE);
        define(HAS_CHUNKS_RESPONSE, "HasChunksResponse", KIND_RESPONSE, ROLE_NODE, 0);

        define(PUT_MANIFEST_REQUEST, "PutManifestRequest", KIND_REQUEST, anyone, PUT_MANIFEST_RESPONSE);
        define(PUT_MANIFEST_RESPONSE, "PutManifestResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(GET_MANIFEST_REQUEST, "GetManifestRequest", KIND_REQUEST, anyone, GET_MANIFEST_RESPONSE);
        define(GET_MANIFEST_RESPONSE, "GetManifestResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(LIST_MANIFESTS_REQUEST, "ListManifestsRequest", KIND_REQUEST, anyone, LIST_MANIFESTS_RESPONSE);
        define(LIST_MANIFESTS_RESPONSE, "ListManifestsResponse", KIND_RESPONSE, ROLE_NODE, 0);

        define(HEARTBEAT, "Heartbeat", KIND_ONE_WAY, ROLE_NODE, 0);
        define(REQUEST_VOTE, "RequestVote", KIND_REQUEST, ROLE_NODE, VOTE);
        define(VOTE, "Vote", KIND_RESPONSE, ROLE_NODE, 0);
        define(APPEND_ENTRIES, "AppendEntries", KIND_REQUEST, ROLE_LEADER, APPEND_RESPONSE);
        define(APPEND_RESPONSE, "AppendResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(PRE_REQUEST_VOTE, "PreVoteRequest", KIND_REQUEST, ROLE_NODE, PRE_VOTE);
        define(PRE_VOTE, "PreVote", KIND_RESPONSE, ROLE_NODE, 0);

        define(COPY_CHUNKS_REQUEST, "CopyChunksRequest", KIND_REQUEST, ROLE_LEADER, COPY_CHUNKS_RESPONSE);
        define(COPY_CHUNKS_RESPONSE, "CopyChunksResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(RANGE_DIGEST_REQUEST, "RangeDigestRequest", KIND_REQUEST, ROLE_NODE, RANGE_DIGEST_RESPONSE);
        define(RANGE_DIGEST_RESPONSE, "RangeDigestResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(RANGE_IDS_REQUEST, "RangeIdsRequest", KIND_REQUEST, ROLE_NODE, RANGE_IDS_RESPONSE);
        define(RANGE_IDS_RESPONSE, "RangeIdsResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(CORRUPT_CHUNK_REPORT, "CorruptChunkReport", KIND_ONE_WAY, ROLE_NODE, 0);
        define(DROP_CHUNKS_REQUEST, "DropChunksRequest", KIND_REQUEST, ROLE_LEADER, DROP_CHUNKS_RESPONSE);
        define(DROP_CHUNKS_RESPONSE, "DropChunksResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(RANGE_MANIFESTS_REQUEST, "RangeManifestsRequest", KIND_REQUEST, ROLE_NODE, RANGE_MANIFESTS_RESPONSE);
        define(RANGE_MANIFESTS_RESPONSE, "RangeManifestsResponse", KIND_RESPONSE, ROLE_NODE, 0);

        define(MEMBERSHIP_REQUEST, "MembershipRequest", KIND_REQUEST, anyone, MEMBERSHIP_RESPONSE);
        define(MEMBERSHIP_RESPONSE, "MembershipResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(RING_REQUEST, "RingRequest", KIND_REQUEST, anyone, RING_RESPONSE);
        define(RING_RESPONSE, "RingResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(RECLAIM_CANDIDATES_REQUEST, "ReclaimCandidatesRequest", KIND_REQUEST, ROLE_NODE,
            RECLAIM_CANDIDATES_RESPONSE);
        define(RECLAIM_CANDIDATES_RESPONSE, "ReclaimCandidatesResponse", KIND_RESPONSE, ROLE_NODE, 0);

        define(VERIFY_CHUNKS_REQUEST, "VerifyChunksRequest", KIND_REQUEST, anyone, VERIFY_CHUNKS_RESPONSE);
        define(VERIFY_CHUNKS_RESPONSE, "VerifyChunksResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(REPAIR_CONTROL_REQUEST, "RepairControlRequest", KIND_REQUEST, anyone, REPAIR_STATUS_RESPONSE);
        define(REPAIR_STATUS_RESPONSE, "RepairStatusResponse", KIND_RESPONSE, ROLE_NODE, 0);
        define(DROP_MANIFESTS_REQUEST, "DropManifestsRequest", KIND_REQUEST, ROLE_LEADER, DROP_MANIFESTS_RESPONSE);
        define(DROP_MANIFESTS_RESPONSE, "DropManifestsResponse", KIND_RESPONSE, ROLE_NODE, 0);
    }

    private MessageTypes()
    {
    }

    private static void define(final int type, final String name, final int kind, final int senders, final int response)
    {
        NAMES[type] = name;
        KINDS[type] = (byte)kind;
        SENDERS[type] = (byte)senders;
        RESPONSES[type] = (short)response;
    }

    /**
     * @param type a type id from a frame header, any value.
     * @return true if protocol version 1 defines it (the handshake range counts only once the TCP transport
     * defines its types there).
     */
    public static boolean isKnown(final int type)
    {
        return type >= 0 && type < TYPE_LIMIT && NAMES[type] != null;
    }

    /**
     * @param type a type id, any value.
     * @return its name, or {@code "Unknown"}.
     */
    public static String name(final int type)
    {
        return isKnown(type) ? NAMES[type] : "Unknown";
    }

    /**
     * @param type a type id, any value.
     * @return {@link #KIND_REQUEST}, {@link #KIND_RESPONSE}, {@link #KIND_ONE_WAY}, or 0 if unknown.
     */
    public static int kind(final int type)
    {
        return isKnown(type) ? KINDS[type] : 0;
    }

    /**
     * @param type a type id, any value.
     * @return the roles that may send it, a set of {@code ROLE_*} bits; 0 if unknown.
     */
    public static int senders(final int type)
    {
        return isKnown(type) ? SENDERS[type] : 0;
    }

    /**
     * @param requestType a request's type id.
     * @return the type id of its response, or 0 if it is not a known request.
     */
    public static int responseType(final int requestType)
    {
        return isKnown(requestType) ? RESPONSES[requestType] : 0;
    }

    /**
     * The transport's check: may a peer authenticated as {@code peerRole} send this type at all? Leader-only types
     * pass from any node here; see {@link #requiresLeader}.
     *
     * @param type     the frame's type id, any value.
     * @param peerRole {@link #ROLE_CLIENT} or {@link #ROLE_NODE}.
     * @return true if the type is known and the role may send it.
     */
    public static boolean isAllowedFrom(final int type, final int peerRole)
    {
        int senders = senders(type);
        if ((senders & ROLE_LEADER) != 0)
        {
            senders |= ROLE_NODE;
        }
        return (senders & peerRole) != 0;
    }

    /**
     * @param type a type id.
     * @return true if only the current term's leader may send it; the node logic checks the source.
     */
    public static boolean requiresLeader(final int type)
    {
        return senders(type) == ROLE_LEADER;
    }
}
