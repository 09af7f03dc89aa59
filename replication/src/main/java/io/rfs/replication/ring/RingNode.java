package io.rfs.replication.ring;

/**
 * One member of a {@link Ring}: who it is, where to reach it, how much data it should hold relative to the others,
 * and which failure domain it is in.
 * <p>
 * The weight is in hundredths: a node of weight {@link #STANDARD_WEIGHT} gets the ring's standard number of virtual
 * nodes, a node of weight 200 twice as many and twice the data. Zones are failure domains (a rack, a room, a cloud
 * availability zone): a ring with at least N zones never puts two replicas of a key in one zone. Nodes given no zone
 * share {@link #DEFAULT_ZONE}, so a ring of such nodes spreads replicas over distinct nodes only.
 *
 * @param id      the node's id, unique in the ring, 0 or more.
 * @param address where peers reach it, {@code host:port}: 1 to {@link #MAX_ADDRESS_LENGTH} printable ASCII
 *                characters, the port 1 to 65535.
 * @param weight  relative capacity in hundredths, 1 to {@link #MAX_WEIGHT}.
 * @param zone    failure domain: 1 to {@link #MAX_ZONE_LENGTH} characters from {@code [A-Za-z0-9._-]}.
 */
public record RingNode(int id, String address, int weight, String zone)
{
    /** Weight of a node that gets exactly the ring's standard number of virtual nodes. */
    public static final int STANDARD_WEIGHT = 100;
    /** Largest weight: 100 times a standard node. */
    public static final int MAX_WEIGHT = 10_000;
    /** Zone of nodes given none. */
    public static final String DEFAULT_ZONE = "default";
    /** Longest address in characters (bytes: addresses are ASCII). */
    public static final int MAX_ADDRESS_LENGTH = 255;
    /** Longest zone name in characters (bytes: zone names are ASCII). */
    public static final int MAX_ZONE_LENGTH = 64;

    /**
     * @throws IllegalArgumentException naming the field and value that break a rule above.
     */
    public RingNode
    {
        if (id < 0)
        {
            throw new IllegalArgumentException("id=" + id + " must be 0 or more");
        }
        final String addressError = addressError(address);
        if (addressError != null)
        {
            throw new IllegalArgumentException(addressError);
        }
        final String weightError = weightError(weight);
        if (weightError != null)
        {
            throw new IllegalArgumentException(weightError);
        }
        final String zoneError = zoneError(zone);
        if (zoneError != null)
        {
            throw new IllegalArgumentException(zoneError);
        }
    }

    /**
     * A node of standard weight in the default zone.
     *
     * @param id      the node's id.
     * @param address {@code host:port}.
     * @return the node.
     */
    public static RingNode of(final int id, final String address)
    {
        return new RingNode(id, address, STANDARD_WEIGHT, DEFAULT_ZONE);
    }

    /**
     * @param weight a new weight.
     * @return this node with that weight.
     */
    public RingNode withWeight(final int weight)
    {
        return new RingNode(id, address, weight, zone);
    }

    /**
     * @param address a new address.
     * @return this node at that address.
     */
    public RingNode withAddress(final String address)
    {
        return new RingNode(id, address, weight, zone);
    }

    /**
     * @param address a candidate address.
     * @return null if it is a valid {@code host:port}, else what is wrong with it, naming the value.
     */
    static String addressError(final String address)
    {
        if (address == null)
        {
            return "address=null";
        }
        final int length = address.length();
        if (length < 1 || length > MAX_ADDRESS_LENGTH)
        {
            return "address length=" + length + " is outside 1.." + MAX_ADDRESS_LENGTH;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = address.charAt(i);
            if (c < 0x21 || c > 0x7E)
            {
                return "address has a character that is not printable ASCII (0x" + Integer.toHexString(c) +
                    ") at index " + i;
            }
        }
        final int colon = address.lastIndexOf(':');
        if (colon < 1 || colon == length - 1 || length - colon - 1 > 5)
        {
            return "address=" + address + " is not host:port";
        }
        int port = 0;
        for (int i = colon + 1; i < length; i++)
        {
            final char c = address.charAt(i);
            if (c < '0' || c > '9')
            {
                return "address=" + address + " has a port that is not a decimal number";
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535)
        {
            return "address=" + address + " has port " + port + ", outside 1..65535";
        }
        return null;
    }

    /**
     * @param zone a candidate zone name.
     * @return null if it is valid, else what is wrong with it, naming the value.
     */
    static String zoneError(final String zone)
    {
        if (zone == null)
        {
            return "zone=null";
        }
        final int length = zone.length();
        if (length < 1 || length > MAX_ZONE_LENGTH)
        {
            return "zone length=" + length + " is outside 1.." + MAX_ZONE_LENGTH;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = zone.charAt(i);
            final boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!valid)
            {
                return "zone has a character outside [A-Za-z0-9._-] (0x" + Integer.toHexString(c) + ") at index " + i;
            }
        }
        return null;
    }

    /**
     * @param weight a candidate weight.
     * @return null if it is 1 to {@link #MAX_WEIGHT}, else what is wrong with it.
     */
    static String weightError(final int weight)
    {
        if (weight < 1 || weight > MAX_WEIGHT)
        {
            return "weight=" + weight + " is outside 1.." + MAX_WEIGHT;
        }
        return null;
    }
}
