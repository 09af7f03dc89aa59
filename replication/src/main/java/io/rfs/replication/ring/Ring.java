package io.rfs.replication.ring;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.ManifestStore;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Where every chunk and manifest lives: an immutable, versioned consistent-hash ring.
 * <p>
 * Key positions and tokens are 64-bit values ordered as unsigned numbers, so a ring's token {@code 0x00..} comes
 * first and {@code 0xff..} last, as their hex reads. Each token is owned by a node; a node owns virtual nodes (tokens)
 * in proportion to its weight. The token at or after a position, wrapping past the top, owns the position: token
 * {@code t} owns the range {@code (previous token, t]}. The replicas of a position are the first {@code N} distinct
 * nodes met clockwise from its token, on distinct zones whenever the ring has at least {@code N} zones, otherwise
 * spread over the zones as evenly as they allow (see {@link ReplicaSelector} for the exact rule). The first replica
 * is the owning node.
 * <p>
 * A chunk's position is the first 8 bytes of its id ({@link #chunkPosition}); a manifest's is the first 8 bytes of
 * SHA-256 of its name ({@link #manifestPosition}).
 * <p>
 * Lookups ({@link #replicas(long, int[])}, {@link #primary}, {@link #tokenIndex}) allocate nothing and cost one
 * bucket read plus, on average, about one token compare: the replica set of every token is computed when the ring is
 * built. A ring is safe to share between threads.
 * <p>
 * Changes ({@link #withNode}, {@link #withoutNode}, {@link #withWeight}, {@link #withAddress}) return a new ring with
 * the version one higher. They never move another node's tokens: adding a node or raising a weight only inserts the
 * changed node's new tokens, chosen by the {@link TokenAllocator} to balance replica load; removing a node or lowering
 * a weight only deletes the changed node's tokens. A ring is therefore a deterministic function of its history: the
 * same changes applied in the same order to the same start give the same ring, byte for byte, on every node.
 */
public final class Ring
{
    /** Virtual nodes of a node of {@link RingNode#STANDARD_WEIGHT}, chosen by measurement (see docs/RING.md). */
    public static final int DEFAULT_VNODES = 256;
    /** Replicas per key unless configured otherwise. */
    public static final int DEFAULT_REPLICATION_FACTOR = 3;
    /** Most replicas per key. */
    public static final int MAX_REPLICATION_FACTOR = 15;
    /** Most virtual nodes of a standard-weight node. */
    public static final int MAX_VNODES = 4096;
    /** Most nodes in a ring. */
    public static final int MAX_NODES = 4096;
    /** Most tokens in a ring, summed over nodes: 2^20, 8 MiB of tokens. */
    public static final int MAX_TOKENS = 1 << 20;

    private static final int MAX_BUCKET_BITS = 20;
    private static final int LINEAR_SCAN_LIMIT = 8;

    private final long version;
    private final int replicationFactor;
    private final int vnodes;
    private final RingNode[] nodes;
    private final String[] zones;
    private final int[] zoneOfNode;
    private final long[] tokens;
    private final int[] owners;
    private final int replicaCount;
    private final int[] replicaIds;
    private final int[] bucketStart;
    private final int bucketShift;
    private volatile long fingerprint;

    Ring(
        final long version,
        final int replicationFactor,
        final int vnodes,
        final RingNode[] nodes,
        final long[] tokens,
        final int[] owners)
    {
        this.version = version;
        this.replicationFactor = replicationFactor;
        this.vnodes = vnodes;
        this.nodes = nodes;
        this.tokens = tokens;
        this.owners = owners;
        this.zones = zoneNames(nodes);
        this.zoneOfNode = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            zoneOfNode[i] = Arrays.binarySearch(zones, nodes[i].zone());
        }

        final ReplicaSelector selector = new ReplicaSelector(replicationFactor, zoneOfNode, zones.length);
        selector.reset(owners, tokens.length);
        replicaCount = selector.replicaCount();
        replicaIds = new int[tokens.length * replicaCount];
        final int[] set = new int[replicationFactor];
        for (int i = 0; i < tokens.length; i++)
        {
            selector.select(i, set, 0);
            for (int k = 0; k < replicaCount; k++)
            {
                replicaIds[i * replicaCount + k] = nodes[set[k]].id();
            }
        }

        final int bits = Math.max(1, Math.min(MAX_BUCKET_BITS, 64 - Long.numberOfLeadingZeros(tokens.length)));
        bucketShift = 64 - bits;
        bucketStart = new int[(1 << bits) + 1];
        int t = 0;
        for (int bucket = 0; bucket < 1 << bits; bucket++)
        {
            while (t < tokens.length && (int)(tokens[t] >>> bucketShift) < bucket)
            {
                t++;
            }
            bucketStart[bucket] = t;
        }
        bucketStart[1 << bits] = tokens.length;
    }

    /**
     * @param replicationFactor N, 1 to {@link #MAX_REPLICATION_FACTOR}.
     * @param vnodes            virtual nodes of a standard-weight node, 1 to {@link #MAX_VNODES}.
     * @return a ring with no nodes, version 0.
     * @throws IllegalArgumentException if a parameter is out of range.
     */
    public static Ring empty(final int replicationFactor, final int vnodes)
    {
        checkReplicationFactor(replicationFactor);
        checkVnodes(vnodes);
        return new Ring(0, replicationFactor, vnodes, new RingNode[0], new long[0], new int[0]);
    }

    /**
     * @return a ring with no nodes, {@link #DEFAULT_REPLICATION_FACTOR} and {@link #DEFAULT_VNODES}.
     */
    public static Ring empty()
    {
        return empty(DEFAULT_REPLICATION_FACTOR, DEFAULT_VNODES);
    }

    /**
     * @param id a chunk id.
     * @return its ring position: the first 8 bytes of the id, big-endian.
     */
    public static long chunkPosition(final ChunkId id)
    {
        return id.prefix();
    }

    /**
     * Hashes the name, so it allocates; callers that look a name up repeatedly should keep the position.
     *
     * @param name a file name.
     * @return its manifest's ring position: the first 8 bytes, big-endian, of SHA-256 of its UTF-8 bytes (the key
     * the manifest store files it under).
     */
    public static long manifestPosition(final String name)
    {
        final byte[] digest = ManifestStore.nameKey(name);
        long position = 0;
        for (int i = 0; i < 8; i++)
        {
            position = (position << 8) | (digest[i] & 0xFF);
        }
        return position;
    }

    /**
     * @return the ring's version: 0 when empty, one more with every change.
     */
    public long version()
    {
        return version;
    }

    /**
     * @return N, the replicas each key should have.
     */
    public int replicationFactor()
    {
        return replicationFactor;
    }

    /**
     * @return virtual nodes of a node of {@link RingNode#STANDARD_WEIGHT}.
     */
    public int vnodes()
    {
        return vnodes;
    }

    /**
     * @param weight a node weight.
     * @return how many tokens a node of that weight owns in this ring: {@code vnodes * weight / 100}, rounded, at
     * least 1.
     */
    public int vnodesFor(final int weight)
    {
        return vnodesFor(vnodes, weight);
    }

    static int vnodesFor(final int vnodes, final int weight)
    {
        return (int)Math.max(1, ((long)vnodes * weight + RingNode.STANDARD_WEIGHT / 2) / RingNode.STANDARD_WEIGHT);
    }

    /**
     * @return how many replicas every key has: N, or the node count if smaller.
     */
    public int replicaCount()
    {
        return replicaCount;
    }

    /**
     * @return the number of nodes.
     */
    public int nodeCount()
    {
        return nodes.length;
    }

    /**
     * @return the nodes in ascending id order.
     */
    public List<RingNode> nodes()
    {
        return List.of(nodes);
    }

    /**
     * @param id a node id.
     * @return true if the node is in the ring.
     */
    public boolean contains(final int id)
    {
        return indexOfNode(id) >= 0;
    }

    /**
     * @param id a node id.
     * @return the node.
     * @throws IllegalArgumentException if there is no such node.
     */
    public RingNode node(final int id)
    {
        return nodes[checkedIndexOf(id)];
    }

    /**
     * @return the distinct zones of the nodes, in ascending order.
     */
    public List<String> zones()
    {
        return List.of(zones);
    }

    /**
     * @return the number of tokens.
     */
    public int tokenCount()
    {
        return tokens.length;
    }

    /**
     * @param index 0 to {@link #tokenCount()} - 1, in ascending unsigned order.
     * @return that token.
     */
    public long token(final int index)
    {
        return tokens[index];
    }

    /**
     * @param index a token index.
     * @return the id of the node that owns it.
     */
    public int tokenOwner(final int index)
    {
        return nodes[owners[index]].id();
    }

    /**
     * @param id a node id.
     * @return its tokens in ascending unsigned order, in a new array.
     * @throws IllegalArgumentException if there is no such node.
     */
    public long[] tokensOf(final int id)
    {
        final int node = checkedIndexOf(id);
        int n = 0;
        for (final int owner : owners)
        {
            if (owner == node)
            {
                n++;
            }
        }
        final long[] result = new long[n];
        n = 0;
        for (int i = 0; i < tokens.length; i++)
        {
            if (owners[i] == node)
            {
                result[n++] = tokens[i];
            }
        }
        return result;
    }

    /**
     * Finds the token whose range holds a position. Allocates nothing.
     *
     * @param position a key's ring position.
     * @return the index of the first token at or after it (wrapping to 0), or -1 if the ring has no tokens.
     */
    public int tokenIndex(final long position)
    {
        final long[] tokens = this.tokens;
        final int count = tokens.length;
        if (count == 0)
        {
            return -1;
        }
        final int bucket = (int)(position >>> bucketShift);
        int low = bucketStart[bucket];
        int high = bucketStart[bucket + 1];
        while (high - low > LINEAR_SCAN_LIMIT)
        {
            final int mid = (low + high) >>> 1;
            if (Long.compareUnsigned(tokens[mid], position) < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        while (low < high && Long.compareUnsigned(tokens[low], position) < 0)
        {
            low++;
        }
        return low == count ? 0 : low;
    }

    /**
     * @param index a token index.
     * @return the share of the key space in the range the token owns, {@code (previous token, token]}: 0 to 1.
     */
    public double rangeFraction(final int index)
    {
        final int count = tokens.length;
        return count == 1 ? 1.0 : toFraction(tokens[index] - tokens[index == 0 ? count - 1 : index - 1]);
    }

    /**
     * @param width an unsigned count of positions.
     * @return that count as a fraction of the key space.
     */
    static double toFraction(final long width)
    {
        final double value = (double)(width >>> 1) * 2.0 + (width & 1);
        return value / 0x1p64;
    }

    /**
     * The replicas of a position, most preferred first. Allocates nothing.
     *
     * @param position a key's ring position.
     * @param dst      receives node ids; needs room for {@link #replicaCount()}.
     * @return how many ids were written: {@link #replicaCount()}, 0 for an empty ring.
     */
    public int replicas(final long position, final int[] dst)
    {
        final int index = tokenIndex(position);
        if (index < 0)
        {
            return 0;
        }
        return replicasAt(index, dst);
    }

    /**
     * The replicas of the range of token {@code index}, most preferred first. Allocates nothing.
     *
     * @param index a token index.
     * @param dst   receives node ids; needs room for {@link #replicaCount()}.
     * @return how many ids were written, {@link #replicaCount()}.
     */
    public int replicasAt(final int index, final int[] dst)
    {
        final int n = replicaCount;
        System.arraycopy(replicaIds, index * n, dst, 0, n);
        return n;
    }

    /**
     * @param position a key's ring position.
     * @return the id of the first replica (the owner of the position's range), or -1 for an empty ring.
     */
    public int primary(final long position)
    {
        final int index = tokenIndex(position);
        return index < 0 ? -1 : replicaIds[index * replicaCount];
    }

    /**
     * @param node a node to add, with an id not in the ring.
     * @return a new ring, version one higher, with the node's tokens added.
     * @throws IllegalArgumentException if the id is taken or the ring would exceed {@link #MAX_NODES} or
     *                                  {@link #MAX_TOKENS}.
     */
    public Ring withNode(final RingNode node)
    {
        return RingChanges.add(this, List.of(node));
    }

    /**
     * Adds several nodes as one change: the same as adding them one by one in ascending id order, whatever order they
     * are given in, with the version one higher.
     *
     * @param added nodes to add, with ids not in the ring and not repeated.
     * @return a new ring, version one higher.
     * @throws IllegalArgumentException as {@link #withNode} does.
     */
    public Ring withNodes(final Collection<RingNode> added)
    {
        return RingChanges.add(this, added);
    }

    /**
     * @param id a node to remove.
     * @return a new ring, version one higher, without the node and its tokens; every other token stays.
     * @throws IllegalArgumentException if there is no such node.
     */
    public Ring withoutNode(final int id)
    {
        return RingChanges.remove(this, id);
    }

    /**
     * @param id     a node.
     * @param weight its new weight.
     * @return a new ring, version one higher, in which only that node's tokens changed: tokens added if its token
     * count grows, removed if it shrinks.
     * @throws IllegalArgumentException if there is no such node or the weight is out of range.
     */
    public Ring withWeight(final int id, final int weight)
    {
        return RingChanges.reweight(this, id, weight);
    }

    /**
     * @param id      a node.
     * @param address its new address.
     * @return a new ring, version one higher, with the same tokens.
     * @throws IllegalArgumentException if there is no such node or the address is invalid.
     */
    public Ring withAddress(final int id, final String address)
    {
        final int index = checkedIndexOf(id);
        final RingNode[] changed = nodes.clone();
        changed[index] = nodes[index].withAddress(address);
        return new Ring(version + 1, replicationFactor, vnodes, changed, tokens, owners);
    }

    /**
     * @param next a later ring.
     * @return the ranges whose replicas differ between this ring and {@code next}, and between whom.
     */
    public RingDiff diff(final Ring next)
    {
        return RingDiff.between(this, next);
    }

    /**
     * A 64-bit digest of the encoding (the first 8 bytes of its SHA-256), so two nodes can compare rings cheaply,
     * for instance in a heartbeat beside the version.
     *
     * @return the fingerprint.
     */
    public long fingerprint()
    {
        long f = fingerprint;
        if (f == 0)
        {
            f = RingCodec.fingerprint(this);
            fingerprint = f;
        }
        return f;
    }

    /**
     * @return the operators' text form: a header line and one line per node.
     */
    public String toText()
    {
        return RingText.format(this, false);
    }

    /**
     * @param withTokens also list every token and its owner, in ring order.
     * @return the operators' text form.
     */
    public String toText(final boolean withTokens)
    {
        return RingText.format(this, withTokens);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Ring))
        {
            return false;
        }
        final Ring that = (Ring)o;
        return version == that.version && replicationFactor == that.replicationFactor && vnodes == that.vnodes &&
            Arrays.equals(nodes, that.nodes) && Arrays.equals(tokens, that.tokens) &&
            Arrays.equals(owners, that.owners);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(version) * 31 + Arrays.hashCode(tokens);
    }

    @Override
    public String toString()
    {
        return "Ring{version=" + version + ", N=" + replicationFactor + ", vnodes=" + vnodes + ", nodes=" +
            nodes.length + ", zones=" + zones.length + ", tokens=" + tokens.length + "}";
    }

    RingNode[] nodeArray()
    {
        return nodes;
    }

    long[] tokenArray()
    {
        return tokens;
    }

    int[] ownerArray()
    {
        return owners;
    }

    int[] zoneOfNode()
    {
        return zoneOfNode;
    }

    int zoneCount()
    {
        return zones.length;
    }

    int indexOfNode(final int id)
    {
        int low = 0;
        int high = nodes.length - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int c = Integer.compare(nodes[mid].id(), id);
            if (c < 0)
            {
                low = mid + 1;
            }
            else if (c > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }

    private int checkedIndexOf(final int id)
    {
        final int index = indexOfNode(id);
        if (index < 0)
        {
            throw new IllegalArgumentException("node id=" + id + " is not in the ring");
        }
        return index;
    }

    static void checkReplicationFactor(final int replicationFactor)
    {
        if (replicationFactor < 1 || replicationFactor > MAX_REPLICATION_FACTOR)
        {
            throw new IllegalArgumentException(
                "replicationFactor=" + replicationFactor + " is outside 1.." + MAX_REPLICATION_FACTOR);
        }
    }

    static void checkVnodes(final int vnodes)
    {
        if (vnodes < 1 || vnodes > MAX_VNODES)
        {
            throw new IllegalArgumentException("vnodes=" + vnodes + " is outside 1.." + MAX_VNODES);
        }
    }

    private static String[] zoneNames(final RingNode[] nodes)
    {
        final String[] names = new String[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            names[i] = nodes[i].zone();
        }
        Arrays.sort(names);
        int n = 0;
        for (int i = 0; i < names.length; i++)
        {
            if (n == 0 || !names[n - 1].equals(names[i]))
            {
                names[n++] = names[i];
            }
        }
        return Arrays.copyOf(names, n);
    }
}
