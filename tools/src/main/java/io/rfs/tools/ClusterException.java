package io.rfs.tools;

import io.rfs.store.RfsException;

/**
 * A local cluster could not be started or stopped as asked: a node died or hung while starting, or the cluster
 * directory is not what {@code rfs cluster start} wrote. Carries the exit status the command should end with.
 */
final class ClusterException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    /**
     * @param message    what went wrong, naming the node and quoting its log where that helps.
     * @param exitStatus {@link Rfs#EXIT_USAGE} when a setting was at fault, else {@link Rfs#EXIT_FAILED}.
     */
    ClusterException(final String message, final int exitStatus)
    {
        super(message);
        this.exitStatus = exitStatus;
    }

    /**
     * @return the exit status the command ends with.
     */
    int exitStatus()
    {
        return exitStatus;
    }
}
