package io.rfs.replication.cluster;

import io.rfs.store.CorruptStoreException;
import io.rfs.store.log.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VoteFileTest
{
    @TempDir
    Path directory;

    @Test
    void shouldStartAtTermZeroWithNoVote() throws IOException
    {
        final VoteFile vote = VoteFile.open(directory.resolve("cluster"), new Disk());

        assertThat(vote.term()).isZero();
        assertThat(vote.votedFor()).isEqualTo(VoteFileDescriptor.NOBODY);
        assertThat(directory.resolve("cluster").resolve(VoteFile.FILE_NAME)).doesNotExist();
    }

    @Test
    void shouldRememberTermAndVoteAcrossAReopen() throws IOException
    {
        VoteFile.open(directory, new Disk()).store(7, 3);

        final VoteFile reopened = VoteFile.open(directory, new Disk());

        assertThat(reopened.term()).isEqualTo(7);
        assertThat(reopened.votedFor()).isEqualTo(3);
        assertThat(Files.size(directory.resolve(VoteFile.FILE_NAME))).isEqualTo(VoteFileDescriptor.LENGTH);
        assertThat(directory.resolve("vote.tmp")).doesNotExist();
    }

    @Test
    void shouldForceTheFileAndTheDirectoryBeforeReturning() throws IOException
    {
        final int[] forces = new int[2];
        final Disk counting = new Disk()
        {
            @Override
            public void force(final Path file, final FileChannel channel) throws IOException
            {
                forces[0]++;
                super.force(file, channel);
            }

            @Override
            public void forceDirectory(final Path dir) throws IOException
            {
                forces[1]++;
                super.forceDirectory(dir);
            }
        };
        VoteFile.open(directory, counting).store(1, 1);

        assertThat(forces).containsExactly(1, 1);
    }

    @Test
    void shouldKeepTheOldStateWhenAForceFails() throws IOException
    {
        final VoteFile vote = VoteFile.open(directory, new Disk());
        vote.store(2, 1);
        final VoteFile failing = VoteFile.open(directory, new Disk()
        {
            @Override
            public void force(final Path file, final FileChannel channel) throws IOException
            {
                throw new IOException("injected");
            }
        });

        assertThatThrownBy(() -> failing.store(3, 2)).isInstanceOf(IOException.class);

        assertThat(failing.term()).isEqualTo(2);
        assertThat(VoteFile.open(directory, new Disk()).votedFor()).isEqualTo(1);
    }

    @Test
    void shouldRefuseACorruptFileRatherThanForgetAVote() throws IOException
    {
        VoteFile.open(directory, new Disk()).store(9, 4);
        final Path file = directory.resolve(VoteFile.FILE_NAME);
        final byte[] bytes = Files.readAllBytes(file);
        bytes[VoteFileDescriptor.TERM_OFFSET] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> VoteFile.open(directory, new Disk()))
            .isInstanceOf(CorruptStoreException.class).hasMessageContaining("fails its checksum");
    }

    @Test
    void shouldRefuseToMoveTheTermBack() throws IOException
    {
        final VoteFile vote = VoteFile.open(directory, new Disk());
        vote.store(5, -1);

        assertThatThrownBy(() -> vote.store(4, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("term=4");
    }
}
