package io.rfs.tools;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The files of the local cluster under {@code $RFS_HOME/cluster} ({@code docs/CLUSTER.md} describes each): where
 * they are, and writing the private ones (secrets, node settings, client settings) readable by the owner only.
 */
final class ClusterDirectory
{
    /** The directory under the data directory ({@code $RFS_HOME}) that holds the local cluster. */
    static final String NAME = "cluster";
    /** Characters of a generated secret. */
    static final int SECRET_LENGTH = 32;
    private static final String SECRET_ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    /**
     * @param dataDirectory the rfs data directory ({@code --data}, else {@code $RFS_HOME}, else {@code ~/.rfs}).
     */
    ClusterDirectory(final Path dataDirectory)
    {
        this.root = dataDirectory.toAbsolutePath().normalize().resolve(NAME);
    }

    Path root()
    {
        return root;
    }

    /**
     * @return true if a cluster was ever started here.
     */
    boolean exists()
    {
        return Files.isRegularFile(clusterProperties());
    }

    /**
     * Creates the directory, owner-only, if it is absent.
     *
     * @throws IOException if it cannot be made.
     */
    void create() throws IOException
    {
        if (!Files.isDirectory(root))
        {
            Files.createDirectories(root.getParent());
            if (POSIX)
            {
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            else
            {
                Files.createDirectory(root);
            }
        }
    }

    /**
     * Waits for, and takes, the cluster's lock ({@code cluster.lock}), so that two {@code rfs cluster start} or
     * {@code stop} commands never act on the same nodes at once (each would start a node the other also starts).
     * It is an OS file lock: it dies with the process, and the nodes do not inherit it (a child process keeps no
     * descriptor but its standard streams).
     *
     * @return the lock; closing it releases it.
     * @throws IOException if the lock file cannot be opened or locked.
     */
    FileChannel lock() throws IOException
    {
        create();
        final FileChannel channel = FileChannel.open(root.resolve("cluster.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try
        {
            channel.lock();
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** @return what was started: nodes, replication factor, addresses, settings. */
    Path clusterProperties()
    {
        return root.resolve("cluster.properties");
    }

    /** @return the settings clients read to reach the cluster. */
    Path clientProperties()
    {
        return root.resolve("client.properties");
    }

    /** @return the secret the nodes prove to each other. */
    Path clusterSecret()
    {
        return root.resolve("cluster.secret");
    }

    /** @return the secret clients prove to the nodes. */
    Path clientSecret()
    {
        return root.resolve("client.secret");
    }

    /** @return a node's properties file, the one its {@code rfs serve --config} reads. */
    Path nodeConfig(final int nodeId)
    {
        return root.resolve("node-" + nodeId + ".properties");
    }

    /** @return a node's data directory. */
    Path nodeData(final int nodeId)
    {
        return root.resolve("node-" + nodeId);
    }

    /** @return a node's standard output and error, appended to by every start. */
    Path nodeLog(final int nodeId)
    {
        return root.resolve("node-" + nodeId + ".log");
    }

    /** @return the process id of the node's last start. */
    Path nodePid(final int nodeId)
    {
        return root.resolve("node-" + nodeId + ".pid");
    }

    /**
     * @param file {@link #clusterSecret()} or {@link #clientSecret()}.
     * @return the secret it holds, or null if it does not exist yet.
     * @throws IOException if it cannot be read.
     */
    String secretIfPresent(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : null;
    }

    /**
     * Reads a secret file, generating it first if it is absent: {@value #SECRET_LENGTH} random letters and digits
     * from {@link SecureRandom}, owner-only. A secret, once made, is kept for the life of the cluster.
     *
     * @param file {@link #clusterSecret()} or {@link #clientSecret()}.
     * @return the secret.
     * @throws IOException if it cannot be read or written.
     */
    String secret(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            final SecureRandom random = new SecureRandom();
            final StringBuilder secret = new StringBuilder(SECRET_LENGTH);
            for (int i = 0; i < SECRET_LENGTH; i++)
            {
                secret.append(SECRET_ALPHABET.charAt(random.nextInt(SECRET_ALPHABET.length())));
            }
            writePrivate(file, secret + "\n");
        }
        final String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.length() < SECRET_LENGTH)
        {
            throw new ClusterException(file + " holds a secret of " + secret.length() + " characters, not " +
                SECRET_LENGTH + "; remove it to have a new one made", Rfs.EXIT_FAILED);
        }
        return secret;
    }

    /**
     * Replaces a file's content atomically with a file readable and writable by the owner only (mode 600), so a
     * secret is never readable by others, not even for a moment.
     *
     * @param file    the file.
     * @param content its new content, UTF-8.
     * @throws IOException if it cannot be written.
     */
    static void writePrivate(final Path file, final String content) throws IOException
    {
        final FileAttribute<?>[] attributes = POSIX ?
            new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        final Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
            attributes);
        try
        {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }
}
