package io.rfs.tools;

import io.rfs.store.ByteSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size option ({@code 256M}) with the store's {@link ByteSize} rules; a bad value is a usage error (exit 2).
 */
final class ByteSizeConverter implements ITypeConverter<Long>
{
    @Override
    public Long convert(final String text)
    {
        try
        {
            final long bytes = ByteSize.parse("size", text);
            if (bytes < 1)
            {
                throw new TypeConversionException("size=" + text + ", must be at least 1 byte");
            }
            return bytes;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }
}
