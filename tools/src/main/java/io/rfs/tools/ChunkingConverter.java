package io.rfs.tools;

import io.rfs.store.chunk.ChunkingPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --chunking SPEC} with {@link ChunkingPolicy#parse(String)}; a bad spec is a usage error.
 */
final class ChunkingConverter implements ITypeConverter<ChunkingPolicy>
{
    @Override
    public ChunkingPolicy convert(final String spec)
    {
        try
        {
            return ChunkingPolicy.parse(spec);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }
}
