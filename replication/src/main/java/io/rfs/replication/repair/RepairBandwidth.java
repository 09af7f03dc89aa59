package io.rfs.replication.repair;

import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The repair bandwidth in force on a node, kept across restarts: {@code rfs repair --bandwidth} sets it on every
 * running node, which writes it to its data directory ({@code repair/bandwidth}, FORMATS.md "Repair bandwidth") before
 * it answers, and a node that starts takes it from there instead of {@code repair.bandwidth}.
 * <p>
 * Node-local rather than committed through the cluster-metadata log: the command already reaches every running node,
 * and a file is one write. The price: a node that is down while the bandwidth is set keeps its old value (run the
 * command again once it is back; {@code rfs repair --status} and {@code rfs cluster status} show every node's value).
 * <p>
 * <b>Threads.</b> {@link #set} on the network agent's thread (the repair control's); {@link #get} from any thread
 * (the status pages read it).
 */
public final class RepairBandwidth
{
    /** Where under the data directory the value is kept. */
    public static final String FILE = "repair/bandwidth";

    private final Path file;
    private final ErrorHandler errorHandler;
    private volatile long bytesPerSecond;

    private RepairBandwidth(final Path file, final long bytesPerSecond, final ErrorHandler errorHandler)
    {
        this.file = file;
        this.bytesPerSecond = bytesPerSecond;
        this.errorHandler = errorHandler;
    }

    /**
     * @param dataDirectory the node's data directory.
     * @param configured    {@code repair.bandwidth}, taken if no value was ever set.
     * @param errorHandler  told when a value set cannot be written.
     * @return the bandwidth in force: the last one set, else the configured one.
     * @throws IOException if the file exists but cannot be read, or does not hold a positive decimal number.
     */
    public static RepairBandwidth open(
        final Path dataDirectory, final long configured, final ErrorHandler errorHandler) throws IOException
    {
        final Path file = dataDirectory.resolve(FILE);
        if (!Files.exists(file))
        {
            return new RepairBandwidth(file, configured, errorHandler);
        }
        final String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try
        {
            final long value = Long.parseLong(text);
            if (value > 0)
            {
                return new RepairBandwidth(file, value, errorHandler);
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IOException(file + " holds \"" + text + "\", not a positive number of bytes per second: " +
            "delete it to take repair.bandwidth from the settings");
    }

    /**
     * @return the bandwidth in force, bytes per second.
     */
    public long get()
    {
        return bytesPerSecond;
    }

    /**
     * Makes the bandwidth the one in force and writes it durably (a temporary file, forced, then renamed over the
     * old one, so a crash leaves the old value or the new one).
     *
     * @param value bytes per second, positive.
     * @return true if written; false if the write failed (told to the error handler): the value is in force until
     * the node restarts all the same.
     */
    public boolean set(final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException("bytesPerSecond=" + value);
        }
        bytesPerSecond = value;
        try
        {
            Files.createDirectories(file.getParent());
            final Path temporary = file.resolveSibling("bandwidth.tmp");
            Files.writeString(temporary, value + "\n", StandardCharsets.US_ASCII);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE))
            {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
        catch (final IOException ex)
        {
            errorHandler.onError(new IOException("cannot keep the repair bandwidth in " + file, ex));
            return false;
        }
    }
}
