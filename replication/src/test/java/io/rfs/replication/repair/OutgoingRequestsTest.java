package io.rfs.replication.repair;

import io.rfs.replication.protocol.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives one {@link OutgoingRequests} by hand through a {@link RecordingRequestChannel}; a request is a string whose
 * first character is its destination node, sent as its ASCII bytes.
 */
class OutgoingRequestsTest
{
    private static final long GIVE_UP_NS = 1_000;
    private static final long COPY_TIMEOUT_NS = 50_000;
    private static final int TYPE = 77;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    private final List<String> answered = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final RecordingRequestChannel channel = new RecordingRequestChannel();
    private final Set<Integer> refusing = channel.refusing;
    private final List<String> attempts = channel.asciiBodies;

    private final OutgoingRequests<String> requests = new OutgoingRequests<>(
        clock, channel, GIVE_UP_NS, new OutgoingRequests.Handler<>()
        {
            @Override
            public void encode(final String request, final OutgoingRequests.Envelope envelope)
            {
                final int length = scratch.putStringWithoutLengthAscii(0, request);
                envelope.wrap(request.charAt(0) - '0', TYPE, scratch, length);
                if (request.endsWith("copy"))
                {
                    envelope.timeoutNs(COPY_TIMEOUT_NS);
                }
            }

            @Override
            public void onResponse(
                final String request, final int messageType, final DirectBuffer buffer, final int offset,
                final int length) throws MalformedMessageException
            {
                if (length == 0)
                {
                    throw new MalformedMessageException("answer", "empty, to " + request);
                }
                answered.add(request);
            }

            @Override
            public void onFailed(final String request)
            {
                failed.add(request);
            }
        });

    @Test
    void shouldSendInTheOrderAddedAndRetryARefusedOneBehindTheOthers()
    {
        refusing.add(2);
        requests.add("1a");
        requests.add("2b");
        requests.add("3c");

        assertThat(requests.sendUnsent()).isEqualTo(2);
        refusing.clear();
        clock.advance(GIVE_UP_NS / 2);
        assertThat(requests.sendUnsent()).isEqualTo(1);

        assertThat(attempts).containsExactly("1a", "2b", "3c", "2b");
        assertThat(requests.isUnsentEmpty()).isTrue();
        assertThat(failed).isEmpty();
    }

    @Test
    void shouldSendARefusedRequestOnceItsNodeAcceptsWithinTheGiveUpSpan()
    {
        refusing.add(1);
        requests.add("1a");
        assertThat(requests.sendUnsent()).isZero();
        clock.advance(GIVE_UP_NS - 1);
        assertThat(requests.sendUnsent()).isZero();

        refusing.clear();
        clock.advance(GIVE_UP_NS * 10);
        assertThat(requests.sendUnsent()).as("accepted at its next try, however late").isEqualTo(1);

        respond(channel.sentCorrelationIds.getLong(0), "ok");
        assertThat(answered).containsExactly("1a");
        assertThat(failed).isEmpty();
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void shouldFailARequestOnceWhenRefusedForTheGiveUpSpan()
    {
        refusing.add(1);
        requests.add("1a");
        requests.sendUnsent();
        clock.advance(GIVE_UP_NS - 1);
        requests.sendUnsent();
        assertThat(failed).isEmpty();

        clock.advance(1);
        requests.sendUnsent();
        clock.advance(GIVE_UP_NS);
        requests.sendUnsent();

        assertThat(failed).containsExactly("1a");
        assertThat(attempts).containsExactly("1a", "1a", "1a");
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void shouldGiveARequestAddedAgainAWholeSpanWhenItIsRefusedAgain()
    {
        refusing.add(1);
        requests.add("1a");
        requests.sendUnsent();
        refusing.clear();
        clock.advance(GIVE_UP_NS - 1);
        requests.sendUnsent();
        requests.onTimeout(channel.sentCorrelationIds.getLong(0));
        assertThat(failed).containsExactly("1a");

        requests.add("1a");
        refusing.add(1);
        clock.advance(GIVE_UP_NS);
        requests.sendUnsent();
        clock.advance(GIVE_UP_NS - 1);
        requests.sendUnsent();

        assertThat(failed).as("refusals before its send do not count against the retry").containsExactly("1a");
        clock.advance(1);
        requests.sendUnsent();
        assertThat(failed).containsExactly("1a", "1a");
    }

    @Test
    void shouldEndEachRequestOnceByItsCorrelationId()
    {
        requests.add("1a");
        requests.add("2b");
        requests.add("3c");
        requests.sendUnsent();

        respond(channel.sentCorrelationIds.getLong(1), "ok");
        requests.onTimeout(channel.sentCorrelationIds.getLong(0));
        respond(channel.sentCorrelationIds.getLong(2), "");
        respond(channel.sentCorrelationIds.getLong(1), "ok");
        requests.onTimeout(channel.sentCorrelationIds.getLong(0));

        assertThat(answered).containsExactly("2b");
        assertThat(failed).as("timed out, then undecodable").containsExactly("1a", "3c");
        assertThat(requests.isEmpty()).isTrue();
    }

    @Test
    void shouldUseTheTimeoutTheEnvelopeSetsElseTheGiveUpSpan()
    {
        requests.add("1a");
        requests.add("2copy");
        requests.sendUnsent();

        assertThat(channel.sentTimeoutsNs).containsExactly(GIVE_UP_NS, COPY_TIMEOUT_NS);
        assertThat(channel.types).containsOnly(TYPE);
    }

    @Test
    void shouldIgnoreLateAnswersAfterClear()
    {
        refusing.add(2);
        requests.add("1a");
        requests.add("2b");
        requests.sendUnsent();

        requests.clear();
        respond(channel.sentCorrelationIds.getLong(0), "ok");
        clock.advance(GIVE_UP_NS * 2);
        requests.sendUnsent();

        assertThat(answered).isEmpty();
        assertThat(failed).isEmpty();
        assertThat(attempts).containsExactly("1a", "2b");
        assertThat(requests.isEmpty()).isTrue();
    }

    private void respond(final long correlationId, final String body)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        final int length = buffer.putStringWithoutLengthAscii(0, body);
        requests.onResponse(correlationId, 0, TYPE + 1, buffer, 0, length);
    }
}
