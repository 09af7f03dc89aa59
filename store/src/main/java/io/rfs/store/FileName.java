package io.rfs.store;

import java.nio.charset.StandardCharsets;

/**
 * The rules for file names: UTF-8, 1 to {@value #MAX_BYTES} bytes, no NUL, and no {@code .} or {@code ..} segment
 * between slashes. Names are keys, never file system paths, so the rules exist to keep names portable
 * (to a file system on {@code get}, to S3 keys) rather than to protect the store.
 */
public final class FileName
{
    /** Longest name in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;

    private FileName()
    {
    }

    /**
     * @param name a proposed name.
     * @return its UTF-8 bytes.
     * @throws InvalidNameException naming the rule it breaks.
     */
    public static byte[] validate(final String name) throws InvalidNameException
    {
        if (name == null || name.isEmpty())
        {
            throw new InvalidNameException("file name is empty");
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c == '\0')
            {
                throw new InvalidNameException("file name contains a NUL character at index " + i);
            }
            if (Character.isSurrogate(c) &&
                !(Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))))
            {
                throw new InvalidNameException("file name is not valid Unicode (lone surrogate at index " + i + ")");
            }
            if (Character.isHighSurrogate(c))
            {
                i++;
            }
        }
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_BYTES)
        {
            throw new InvalidNameException(
                "file name is " + utf8.length + " bytes in UTF-8, the limit is " + MAX_BYTES);
        }
        for (final String segment : name.split("/", -1))
        {
            if (segment.equals(".") || segment.equals(".."))
            {
                throw new InvalidNameException("file name has a '" + segment + "' segment: " + name);
            }
        }
        return utf8;
    }
}
