package io.rfs.replication.repair;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.transport.ResponseListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives one {@link OutgoingRequests} by hand through a channel that refuses the destinations it is told to and
 * records what it takes; a request is a string whose first character is its destination node.
 */
class OutgoingRequestsTest
{
    private static final long GIVE_UP_NS = 1_000;
    private static final long COPY_TIMEOUT_NS = 50_000;
    private static final int TYPE = 77;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
    private final Set<Integer> refusing = new HashSet<>();
    private final List<String> attempts = new ArrayList<>();
    private final List<Long> sentCorrelationIds = new ArrayList<>();
    private final List<Long> sentTimeoutsNs = new ArrayList<>();
    private final List<String> answered = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private long nextCorrelationId = 1;

    private final RequestChannel channel = new RequestChannel()
    {
        @Override
        public long send(
            final int destination, final int type, final DirectBuffer body, final int offset, final int length,
            final ResponseListener listener, final long timeoutNs)
        {
            assertThat(type).isEqualTo(TYPE);
            attempts.add(body.getStringWithoutLengthAscii(offset, length));
            if (refusing.contains(destination))
            {
                return RequestChannel.REFUSED;
            }
            sentCorrelationIds.add(nextCorrelationId);
            sentTimeoutsNs.add(timeoutNs);
            return nextCorrelationId++;
        }
    };

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

        respond(sentCorrelationIds.get(0), "ok");
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
        requests.onTimeout(sentCorrelationIds.get(0));
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

        respond(sentCorrelationIds.get(1), "ok");
        requests.onTimeout(sentCorrelationIds.get(0));
        respond(sentCorrelationIds.get(2), "");
        respond(sentCorrelationIds.get(1), "ok");
        requests.onTimeout(sentCorrelationIds.get(0));

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

        assertThat(sentTimeoutsNs).containsExactly(GIVE_UP_NS, COPY_TIMEOUT_NS);
    }

    @Test
    void shouldIgnoreLateAnswersAfterClear()
    {
        refusing.add(2);
        requests.add("1a");
        requests.add("2b");
        requests.sendUnsent();

        requests.clear();
        respond(sentCorrelationIds.get(0), "ok");
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
