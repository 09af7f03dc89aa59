package io.rfs.replication.sim;

import java.util.EnumSet;
import java.util.Locale;

/**
 * The faults a simulation can inject, each switched on or off for a run ({@code rfs sim --faults}).
 */
public enum FaultKind
{
    /** Messages lost on a link. */
    LOSS,
    /** Messages delivered twice. */
    DUPLICATE,
    /** Messages held back so later ones overtake them. */
    REORDER,
    /** Links cut between two nodes, or a node cut off from all, for a while, then mended. */
    PARTITION,
    /** A node killed at any point (its unforced writes kept, lost or torn) and restarted later. */
    CRASH,
    /** A flipped bit in a stored chunk. */
    ROT,
    /** A force ({@code fdatasync}) that fails. */
    FORCE_FAILURE;

    /**
     * @return the name on the command line: lower case, {@code -} for {@code _}.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text comma-separated labels, or {@code all} or {@code none}.
     * @return the set.
     * @throws IllegalArgumentException naming an unknown label.
     */
    public static EnumSet<FaultKind> parse(final String text)
    {
        final String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("all"))
        {
            return EnumSet.allOf(FaultKind.class);
        }
        final EnumSet<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none"))
        {
            return kinds;
        }
        for (final String label : trimmed.split(","))
        {
            kinds.add(fromLabel(label.trim()));
        }
        return kinds;
    }

    private static FaultKind fromLabel(final String label)
    {
        for (final FaultKind kind : values())
        {
            if (kind.label().equalsIgnoreCase(label))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("fault=" + label + " is not one of " + java.util.Arrays.stream(values())
            .map(FaultKind::label).toList() + ", all or none");
    }
}
