package io.rfs.gateway;

import io.rfs.store.FileStat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One page of a ListObjectsV2 answer: keys in UTF-8 byte order (as S3 lists them) after a start point, with the
 * keys that share a prefix up to the delimiter rolled up into one common prefix, at most {@code maxKeys} entries
 * (keys and common prefixes together).
 *
 * @param keys           the keys of the page.
 * @param commonPrefixes the common prefixes of the page.
 * @param truncated      whether more follow.
 * @param last           the last key or common prefix of the page, where the next page starts after.
 * @param lastIsPrefix   whether {@code last} is a common prefix (the next page skips every key under it).
 */
record ListingPage(List<Entry> keys, List<String> commonPrefixes, boolean truncated, String last,
    boolean lastIsPrefix)
{
    /**
     * A key and the version of its object.
     *
     * @param key  the key.
     * @param stat the object's current version.
     */
    record Entry(String key, FileStat stat)
    {
    }

    private static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * @param entries    every key under the prefix, in any order.
     * @param prefix     the prefix, which every entry's key starts with.
     * @param delimiter  the delimiter, empty for none.
     * @param startAfter list only what sorts after this (a key, or a common prefix of an earlier page).
     * @param skipUnder  whether {@code startAfter} is a common prefix whose keys are all skipped.
     * @param maxKeys    the most entries.
     * @return the page.
     */
    static ListingPage of(final List<Entry> entries, final String prefix, final String delimiter,
        final String startAfter, final boolean skipUnder, final int maxKeys)
    {
        final List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::key, UTF8_ORDER));
        final List<Entry> keys = new ArrayList<>();
        final List<String> commonPrefixes = new ArrayList<>();
        String last = null;
        String lastPrefix = null;
        for (final Entry entry : sorted)
        {
            final String key = entry.key();
            if (UTF8_ORDER.compare(key, startAfter) <= 0 || (skipUnder && key.startsWith(startAfter)))
            {
                continue;
            }
            final int at = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
            final String common = at < 0 ? null : key.substring(0, at + delimiter.length());
            if (common != null && common.equals(last))
            {
                continue;
            }
            if (keys.size() + commonPrefixes.size() >= maxKeys)
            {
                return new ListingPage(keys, commonPrefixes, true, last, last != null && last.equals(lastPrefix));
            }
            if (common != null)
            {
                commonPrefixes.add(common);
                last = common;
                lastPrefix = common;
            }
            else
            {
                keys.add(entry);
                last = key;
            }
        }
        return new ListingPage(keys, commonPrefixes, false, last, false);
    }
}
