package io.rfs.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The one interface every rfs tool and test works against: a flat namespace of files, each stored as
 * content-addressed chunks and verified on every read.
 * <p>
 * Implemented by the single-node {@link LocalFileStore} and, later, by the cluster client. Methods may be called
 * from several threads at once. Every method streams: memory use does not grow with file size beyond the list of
 * chunk ids the manifest holds.
 */
public interface FileStore extends AutoCloseable
{
    /**
     * Stores the bytes of {@code in} under {@code name}. The new version becomes visible only once every chunk
     * and the manifest are durable; if this throws, the previous version (if any) stays current.
     *
     * @param name     the file's name in the store, see {@link FileName}.
     * @param in       the bytes, read once to their end, in small reads: buffer a stream whose every read is a
     *                 system call (a {@code FileInputStream}, a socket's stream); not closed.
     * @param listener told of progress, may be {@link TransferListener#NONE}.
     * @return what was stored.
     * @throws IOException a typed {@link RfsException} for causes rfs understands.
     */
    FileStat put(String name, InputStream in, TransferListener listener) throws IOException;

    /**
     * Stores a local file under {@code name}.
     *
     * @param name     the file's name in the store.
     * @param source   a regular, readable file.
     * @param listener told of progress, may be {@link TransferListener#NONE}.
     * @return what was stored.
     * @throws IOException {@link InvalidInputException} if the source is missing, unreadable or a directory.
     */
    FileStat put(String name, Path source, TransferListener listener) throws IOException;

    /**
     * Writes the current version of {@code name} to {@code out}. Every chunk is verified against its SHA-256
     * before any of its bytes are written; a corrupt chunk stops the transfer with {@link CorruptChunkException}.
     *
     * @param name     the file's name.
     * @param out      where the bytes go; not closed.
     * @param listener told of progress, may be {@link TransferListener#NONE}.
     * @return the manifest that was read.
     * @throws IOException {@link UnknownFileException} if there is no such file.
     */
    FileStat get(String name, OutputStream out, TransferListener listener) throws IOException;

    /**
     * Where {@link #get(String, VersionedSink, TransferListener)} writes a version's bytes, chosen once the version
     * is known.
     */
    @FunctionalInterface
    interface VersionedSink
    {
        /**
         * @param version the version about to be written, resolved once: its bytes are the ones that follow.
         * @return where they go; not closed by the store.
         * @throws IOException to stop the get before any byte is read (the caller's own error, passed on).
         */
        OutputStream open(FileStat version) throws IOException;
    }

    /**
     * Writes the current version of {@code name} to the stream the sink opens for it, telling the sink the version
     * before any byte: what a caller says about the version (its length, digest, time) is then true of the bytes
     * that follow, with the version read once. A {@link #stat} followed by a {@link #get} reads it twice, and a put
     * in between makes the two disagree.
     *
     * @param name     the file's name.
     * @param sink     opens the stream for the version.
     * @param listener told of progress, may be {@link TransferListener#NONE}.
     * @return the version that was read, the one the sink was given.
     * @throws IOException {@link UnknownFileException} if there is no such file (the sink is not called).
     */
    FileStat get(String name, VersionedSink sink, TransferListener listener) throws IOException;

    /**
     * Writes the current version of {@code name} to a local file, replacing it only once every byte was verified
     * (the bytes go to a temporary file in the same directory first).
     *
     * @param name     the file's name.
     * @param target   the local file to create or replace.
     * @param listener told of progress, may be {@link TransferListener#NONE}.
     * @return the manifest that was read.
     * @throws IOException {@link UnknownFileException} if there is no such file.
     */
    FileStat get(String name, Path target, TransferListener listener) throws IOException;

    /**
     * Deletes {@code name}: a durable tombstone hides every older version. Its chunks are reclaimed by compaction
     * once no live file refers to them.
     *
     * @param name the file's name.
     * @return the tombstone's stat.
     * @throws IOException {@link UnknownFileException} if there is no such file.
     */
    FileStat delete(String name) throws IOException;

    /**
     * @param prefix a name prefix, empty for every file.
     * @return the live files whose names start with {@code prefix}, in name order.
     * @throws IOException if the listing cannot be read.
     */
    List<FileStat> list(String prefix) throws IOException;

    /**
     * @param name the file's name.
     * @return the current version's metadata.
     * @throws IOException {@link UnknownFileException} if there is no such file.
     */
    FileStat stat(String name) throws IOException;

    /**
     * Re-reads and re-hashes every chunk of the named files (every live file when {@code names} is empty) and
     * checks each file's whole-content SHA-256. Problems are reported, not thrown.
     *
     * @param names    the files to check; empty for all.
     * @param listener told of progress, may be {@link TransferListener#NONE}.
     * @return what was checked and what was wrong.
     * @throws IOException if the check itself cannot run.
     */
    VerifyReport verify(List<String> names, TransferListener listener) throws IOException;

    @Override
    void close() throws IOException;
}
