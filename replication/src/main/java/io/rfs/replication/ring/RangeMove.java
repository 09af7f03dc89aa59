package io.rfs.replication.ring;

import java.util.Arrays;

/**
 * One entry of a {@link RingDiff}: a token range whose replicas differ between two rings.
 * <p>
 * The range is {@code (start, end]} in unsigned order, wrapping past the top when {@code start >= end} (when they
 * are equal it is the whole key space). {@link #from()} are its replicas in the old ring (the nodes that hold the
 * data), {@link #to()} its replicas in the new ring, each most preferred first. The data must be copied to every
 * node in {@link #joined()}; the nodes in {@link #left()} may drop it once the new ring is in force. Immutable.
 */
public final class RangeMove
{
    private final long start;
    private final long end;
    private final int[] from;
    private final int[] to;

    RangeMove(final long start, final long end, final int[] from, final int[] to)
    {
        this.start = start;
        this.end = end;
        this.from = from;
        this.to = to;
    }

    /**
     * @return the position just before the range (exclusive).
     */
    public long start()
    {
        return start;
    }

    /**
     * @return the last position of the range (inclusive).
     */
    public long end()
    {
        return end;
    }

    /**
     * @return the width of the range in positions as an unsigned value; 0 stands for the whole key space.
     */
    public long width()
    {
        return end - start;
    }

    /**
     * @return the range's share of the key space, 0 to 1.
     */
    public double fraction()
    {
        return start == end ? 1.0 : Ring.toFraction(end - start);
    }

    /**
     * @param position a key's ring position.
     * @return true if the position lies in the range.
     */
    public boolean contains(final long position)
    {
        if (start == end)
        {
            return true;
        }
        final long offset = position - start;
        return offset != 0 && Long.compareUnsigned(offset, end - start) <= 0;
    }

    /**
     * @return the old ring's replicas of the range, most preferred first, in a new array.
     */
    public int[] from()
    {
        return from.clone();
    }

    /**
     * @return the new ring's replicas of the range, most preferred first, in a new array.
     */
    public int[] to()
    {
        return to.clone();
    }

    /**
     * @return the nodes that must receive the range's data: in {@link #to()} but not {@link #from()}.
     */
    public int[] joined()
    {
        return minus(to, from);
    }

    /**
     * @return the nodes that stop being replicas: in {@link #from()} but not {@link #to()}.
     */
    public int[] left()
    {
        return minus(from, to);
    }

    int[] fromArray()
    {
        return from;
    }

    int[] toArray()
    {
        return to;
    }

    private static int[] minus(final int[] a, final int[] b)
    {
        final int[] result = new int[a.length];
        int n = 0;
        for (final int x : a)
        {
            boolean found = false;
            for (final int y : b)
            {
                if (x == y)
                {
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                result[n++] = x;
            }
        }
        return Arrays.copyOf(result, n);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof RangeMove))
        {
            return false;
        }
        final RangeMove that = (RangeMove)o;
        return start == that.start && end == that.end && Arrays.equals(from, that.from) && Arrays.equals(to, that.to);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(start) * 31 + Long.hashCode(end);
    }

    @Override
    public String toString()
    {
        return "(" + hex(start) + ", " + hex(end) + "] " + Arrays.toString(from) + " -> " + Arrays.toString(to);
    }

    static String hex(final long value)
    {
        final String digits = Long.toHexString(value);
        return "0x" + "0".repeat(16 - digits.length()) + digits;
    }
}
