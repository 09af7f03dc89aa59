package io.rfs.replication.ring;

import java.util.Locale;

/**
 * The operators' text form of a ring: a header line, one line per node, and optionally every token. Meant to be
 * read, diffed and pasted into a ticket; the binary form ({@link RingCodec}) is the one machines exchange.
 * <pre>
 * ring version 12, N=3, vnodes=256, 4 nodes in 2 zones, 1024 tokens, fingerprint 0x5c1f0e9a4d3b2a17
 *   node  address                zone      weight  vnodes
 *      1  10.0.0.1:7000          a            100     256
 *   ...
 * tokens
 *   0x0000a3f10c22be01  3
 *   ...
 * </pre>
 */
final class RingText
{
    private RingText()
    {
    }

    static String format(final Ring ring, final boolean withTokens)
    {
        final StringBuilder out = new StringBuilder(128 + ring.nodeCount() * 64 +
            (withTokens ? ring.tokenCount() * 32 : 0));
        out.append("ring version ").append(ring.version())
            .append(", N=").append(ring.replicationFactor())
            .append(", vnodes=").append(ring.vnodes())
            .append(", ").append(ring.nodeCount()).append(ring.nodeCount() == 1 ? " node" : " nodes")
            .append(" in ").append(ring.zoneCount()).append(ring.zoneCount() == 1 ? " zone" : " zones")
            .append(", ").append(ring.tokenCount()).append(" tokens")
            .append(", fingerprint ").append(RangeMove.hex(ring.fingerprint()))
            .append('\n');

        int addressWidth = "address".length();
        int zoneWidth = "zone".length();
        for (final RingNode node : ring.nodeArray())
        {
            addressWidth = Math.max(addressWidth, node.address().length());
            zoneWidth = Math.max(zoneWidth, node.zone().length());
        }
        final int[] tokenCounts = new int[ring.nodeCount()];
        for (final int owner : ring.ownerArray())
        {
            tokenCounts[owner]++;
        }
        out.append(String.format(Locale.ROOT, "  %6s  %-" + addressWidth + "s  %-" + zoneWidth + "s  %6s  %6s%n",
            "node", "address", "zone", "weight", "vnodes"));
        int i = 0;
        for (final RingNode node : ring.nodeArray())
        {
            out.append(String.format(Locale.ROOT, "  %6d  %-" + addressWidth + "s  %-" + zoneWidth + "s  %6d  %6d%n",
                node.id(), node.address(), node.zone(), node.weight(), tokenCounts[i++]));
        }
        if (withTokens)
        {
            out.append("tokens\n");
            for (int k = 0; k < ring.tokenCount(); k++)
            {
                out.append("  ").append(RangeMove.hex(ring.token(k))).append("  ").append(ring.tokenOwner(k))
                    .append('\n');
            }
        }
        return out.toString();
    }
}
