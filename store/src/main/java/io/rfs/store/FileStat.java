package io.rfs.store;

import io.rfs.store.manifest.Version;

/**
 * What the store knows of one version of a file, without its chunk list.
 *
 * @param name       the file's name.
 * @param size       its length in bytes.
 * @param sha256     its whole-content SHA-256 as 64 lowercase hex characters, comparable with {@code sha256sum}.
 * @param chunkCount how many chunks it is cut into.
 * @param version    its version; the highest version of a name is current.
 * @param tombstone  true if this version records a delete.
 */
public record FileStat(String name, long size, String sha256, int chunkCount, Version version, boolean tombstone)
{
}
