package io.rfs.replication.cluster;

import io.rfs.replication.protocol.AppendEntriesEncoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RequestVoteEncoder;
import io.rfs.replication.protocol.VoteDecoder;
import io.rfs.replication.transport.fault.SimulatedNetwork;
import io.rfs.replication.transport.fault.SimulatedTransport;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node's vote, asked by hand: one vote per term, kept across a restart, only for an up-to-date log.
 */
class VotingTest
{
    private static final int VOTER = 1;

    @TempDir
    Path directory;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final SimulatedNetwork network = new SimulatedNetwork(new SimulatedNetwork.Context().nanoClock(clock));
    private final SimulatedTransport[] candidates = {null, null, network.newTransport(2), network.newTransport(3)};
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
    private SimulatedTransport voterTransport;
    private ClusterAgent voter;

    private final List<Throwable> errors = new ArrayList<>();
    private boolean failForces;

    private void openVoter() throws IOException
    {
        voterTransport = network.newTransport(VOTER);
        final Disk disk = new Disk()
        {
            @Override
            public void force(final Path file, final FileChannel channel) throws IOException
            {
                if (failForces)
                {
                    throw new IOException("injected fdatasync failure on " + file);
                }
                super.force(file, channel);
            }
        };
        voter = ClusterAgent.open(new ClusterContext().nodeId(VOTER).member(2).member(3).directory(directory)
            .nanoClock(clock).random(new SplittableRandom(1)).disk(disk).errorHandler(errors::add), voterTransport);
    }

    @AfterEach
    void close()
    {
        if (voter != null)
        {
            voter.close();
        }
    }

    private void restartVoter() throws IOException
    {
        voter.close();
        voterTransport.close();
        openVoter();
    }

    /**
     * @return the vote's granted flag, or null if no vote came back.
     */
    private Boolean ask(final int candidate, final long term, final long lastLogTerm, final long lastLogIndex)
    {
        return ask(MessageTypes.REQUEST_VOTE, candidate, term, lastLogTerm, lastLogIndex);
    }

    private Boolean askPreVote(final int candidate, final long term, final long lastLogTerm, final long lastLogIndex)
    {
        return ask(MessageTypes.PRE_REQUEST_VOTE, candidate, term, lastLogTerm, lastLogIndex);
    }

    private Boolean ask(
        final int requestType, final int candidate, final long term, final long lastLogTerm, final long lastLogIndex)
    {
        final int length = new RequestVoteEncoder(requestType).wrap(body, 0).term(term).lastLogTerm(lastLogTerm)
            .lastLogIndex(lastLogIndex).candidateId(candidate).encodedLength();
        final int answerType = MessageTypes.responseType(requestType);
        candidates[candidate].offer(VOTER, requestType, 1, body, 0, length);
        clock.advance(2_000_000);
        voterTransport.poll(voter, 10);
        clock.advance(2_000_000);
        final List<Boolean> granted = new ArrayList<>();
        candidates[candidate].poll((s, type, c, b, o, l) ->
        {
            if (type == answerType)
            {
                try
                {
                    final VoteDecoder vote = new VoteDecoder(answerType).wrap(b, o, l);
                    assertThat(vote.candidateId()).isEqualTo(candidate);
                    granted.add(vote.isGranted());
                }
                catch (final Exception ex)
                {
                    throw new AssertionError(ex);
                }
            }
        }, 10);
        return granted.isEmpty() ? null : granted.get(granted.size() - 1);
    }

    @Test
    void shouldGrantOneVotePerTermAndRememberItAcrossARestart() throws IOException
    {
        openVoter();

        assertThat(ask(2, 5, 0, -1)).isTrue();
        assertThat(ask(3, 5, 0, -1)).as("already voted for 2 in term 5").isFalse();
        assertThat(ask(2, 5, 0, -1)).as("asking again is answered the same").isTrue();
        restartVoter();
        assertThat(voter.term()).isEqualTo(5);
        assertThat(ask(3, 5, 0, -1)).as("the vote survives the restart").isFalse();
        assertThat(ask(3, 6, 0, -1)).as("a new term, a new vote").isTrue();
        assertThat(ask(2, 4, 0, -1)).as("a stale term").isFalse();
    }

    @Test
    void shouldNotVoteWhenTheVoteCannotBeMadeDurable() throws IOException
    {
        openVoter();
        failForces = true;

        assertThat(ask(2, 5, 0, -1)).as("no answer: the new term could not be stored").isNull();
        assertThat(voter.term()).isZero();
        assertThat(errors).hasSize(1);
        restartVoter();
        assertThat(voter.term()).isZero();

        failForces = false;
        assertThat(ask(2, 5, 0, -1)).isTrue();
    }

    @Test
    void shouldRefuseACandidateWhoseLogIsBehind() throws IOException
    {
        openVoter();
        final int length = new AppendEntriesEncoder().wrap(body, 0).term(3).leaderId(2)
            .addEntry(3, 1, body, 0, 0).addEntry(3, 1, body, 0, 0).encodedLength();
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, body, 0, length);
        candidates[2].offer(VOTER, MessageTypes.APPEND_ENTRIES, 1, copy, 0, length);
        clock.advance(2_000_000);
        voterTransport.poll(voter, 10);
        assertThat(voter.log().lastIndex()).isEqualTo(1);
        clock.advance(5_000_000_000L);
        voter.doWork();

        assertThat(ask(3, 9, 3, 0)).as("same last term, shorter log").isFalse();
        assertThat(ask(3, 10, 2, 7)).as("earlier last term").isFalse();
        assertThat(ask(3, 11, 3, 1)).as("as up to date").isTrue();
    }

    @Test
    void shouldAnswerAPreVoteWithoutChangingItsTermOrVote() throws IOException
    {
        openVoter();
        assertThat(ask(2, 5, 0, -1)).isTrue();

        assertThat(askPreVote(3, 6, 0, -1)).as("no leader heard, log as up to date").isTrue();
        assertThat(voter.term()).as("a pre-vote stores nothing").isEqualTo(5);
        restartVoter();
        assertThat(voter.term()).isEqualTo(5);
        assertThat(ask(3, 5, 0, -1)).as("the vote of term 5 is still 2's").isFalse();
        assertThat(askPreVote(3, 5, 0, -1)).as("not a later term").isFalse();
    }

    @Test
    void shouldRefuseAPreVoteWhileItHearsALeaderOrTheAskerIsBehind() throws IOException
    {
        openVoter();
        final int length = new AppendEntriesEncoder().wrap(body, 0).term(3).leaderId(2)
            .addEntry(3, 1, body, 0, 0).encodedLength();
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, body, 0, length);
        candidates[2].offer(VOTER, MessageTypes.APPEND_ENTRIES, 1, copy, 0, length);
        clock.advance(2_000_000);
        voterTransport.poll(voter, 10);
        assertThat(voter.leaderId()).isEqualTo(2);

        assertThat(askPreVote(3, 4, 3, 0)).as("leader 2 was heard moments ago").isFalse();
        clock.advance(5_000_000_000L);
        assertThat(askPreVote(3, 4, 2, 5)).as("leader silent, but the asker's log is behind").isFalse();
        assertThat(askPreVote(3, 4, 3, 0)).as("leader silent, log as up to date").isTrue();
        assertThat(voter.term()).isEqualTo(3);
    }
}
