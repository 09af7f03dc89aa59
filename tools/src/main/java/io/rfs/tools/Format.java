package io.rfs.tools;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the command line prints sizes, rates, durations, times and names for people to read. JSON output prints
 * exact values instead.
 */
final class Format
{
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final DateTimeFormatter LOCAL_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private Format()
    {
    }

    /**
     * @param bytes a size.
     * @return e.g. {@code 512 B}, {@code 1.0 KiB} or {@code 3.4 MiB}: binary units, one decimal.
     */
    static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1)
        {
            value /= 1024;
            unit++;
        }
        if (value >= 1023.95 && unit < UNITS.length - 1)
        {
            // 1048575 bytes would otherwise print as "1024.0 KiB".
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /**
     * @param bytes   bytes moved.
     * @param elapsedNs in how long.
     * @return e.g. {@code 120.5 MiB/s}.
     */
    static String rate(final long bytes, final long elapsedNs)
    {
        return bytes(bytesPerSecond(bytes, elapsedNs)) + "/s";
    }

    /**
     * @param bytes     bytes moved.
     * @param elapsedNs in how long.
     * @return the throughput, rounded down; a zero duration counts as one nanosecond.
     */
    static long bytesPerSecond(final long bytes, final long elapsedNs)
    {
        return (long)(bytes * 1e9 / Math.max(1, elapsedNs));
    }

    /**
     * @param elapsedNs a duration.
     * @return e.g. {@code 0.25 s}.
     */
    static String seconds(final long elapsedNs)
    {
        return String.format(Locale.ROOT, "%.2f s", elapsedNs / 1e9);
    }

    /**
     * @param epochMs a wall-clock time.
     * @return it in the local time zone, to the second, e.g. {@code 2025-03-01 14:05:09}.
     */
    static String localTime(final long epochMs)
    {
        return LOCAL_TIME.format(Instant.ofEpochMilli(epochMs));
    }

    /**
     * @param count how many chunks.
     * @return e.g. {@code 1 chunk} or {@code 3 chunks}.
     */
    static String chunks(final long count)
    {
        return count == 1 ? "1 chunk" : count + " chunks";
    }

    /**
     * A name as it can be printed on one line: names may hold any character but NUL, so control characters and
     * backslashes are escaped ({@code \n}, {@code \t}, {@code \\}, {@code \x7f}) to keep tables and reports intact.
     *
     * @param name a file name.
     * @return it, safe to print.
     */
    static String name(final String name)
    {
        StringBuilder escaped = null;
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean control = Character.isISOControl(c) || c == '\\';
            if (control && escaped == null)
            {
                escaped = new StringBuilder(name.length() + 8).append(name, 0, i);
            }
            if (escaped != null)
            {
                if (!control)
                {
                    escaped.append(c);
                }
                else if (c == '\n')
                {
                    escaped.append("\\n");
                }
                else if (c == '\t')
                {
                    escaped.append("\\t");
                }
                else if (c == '\r')
                {
                    escaped.append("\\r");
                }
                else if (c == '\\')
                {
                    escaped.append("\\\\");
                }
                else
                {
                    escaped.append(String.format(Locale.ROOT, "\\x%02x", (int)c));
                }
            }
        }
        return escaped == null ? name : escaped.toString();
    }
}
