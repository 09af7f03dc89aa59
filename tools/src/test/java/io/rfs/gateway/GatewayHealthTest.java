package io.rfs.gateway;

import io.rfs.replication.http.HealthReport;
import io.rfs.store.FileStore;
import io.rfs.store.UnknownFileException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayHealthTest
{
    private final AtomicReference<IOException> statFailure = new AtomicReference<>();
    private final AtomicInteger stats = new AtomicInteger();
    private final AtomicLong nowNs = new AtomicLong(1_000);
    private final GatewayHealth health = new GatewayHealth(store(), 1_000_000_000L, nowNs::get);

    /**
     * A store whose stat fails as told: the probe uses nothing else.
     */
    private FileStore store()
    {
        final InvocationHandler handler = (proxy, method, args) ->
        {
            if (!"stat".equals(method.getName()))
            {
                throw new UnsupportedOperationException(method.getName());
            }
            stats.incrementAndGet();
            final IOException failure = statFailure.get();
            throw failure != null ? failure : new UnknownFileException((String)args[0]);
        };
        return (FileStore)Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FileStore.class}, handler);
    }

    @Test
    void shouldServeWhenAQuorumAnswersThatTheProbeNameDoesNotExist()
    {
        final HealthReport report = health.report(Map.of("requestsInFlight", 0L));

        assertThat(report.serving()).isTrue();
        assertThat(report.reasons()).isEmpty();
        assertThat(report.facts()).containsEntry("requestsInFlight", 0L);
    }

    @Test
    void shouldNotServeWithTheStoresReasonWhenTheProbeFails()
    {
        statFailure.set(new IOException("read quorum not reached: 1 of 2 replicas answered"));

        final HealthReport report = health.report(Map.of());

        assertThat(report.serving()).isFalse();
        assertThat(report.reasons()).singleElement().asString()
            .contains("the store cannot serve").contains("read quorum not reached");
        assertThat(report.toJson()).contains("\"status\":\"unavailable\"");
    }

    @Test
    void shouldProbeAtMostOncePerIntervalAndAgainAfterIt()
    {
        health.report(Map.of());
        statFailure.set(new IOException("nodes gone"));
        nowNs.addAndGet(999_999_999L);

        assertThat(health.report(Map.of()).serving()).as("the last probe's answer, within the interval").isTrue();
        assertThat(stats).hasValue(1);

        nowNs.addAndGet(1);
        assertThat(health.report(Map.of()).serving()).isFalse();
        assertThat(stats).hasValue(2);
    }
}
