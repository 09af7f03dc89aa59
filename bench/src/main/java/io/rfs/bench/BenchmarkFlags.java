package io.rfs.bench;

/**
 * The JVM flags every forked benchmark JVM needs (chronicle-bytes and agrona reach into the JDK). Kept beside the
 * benchmarks because JMH annotations need compile-time constants; the root pom's {@code rfs.jvm.flags} holds the
 * same list for tests and the runnable jar.
 */
public final class BenchmarkFlags
{
    public static final String ADD_OPENS_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String ADD_OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String ADD_OPENS_ZIP = "--add-opens=java.base/java.util.zip=ALL-UNNAMED";
    public static final String ADD_EXPORTS_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String ADD_EXPORTS_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String ADD_EXPORTS_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private BenchmarkFlags()
    {
    }
}
