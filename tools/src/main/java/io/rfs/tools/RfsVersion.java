package io.rfs.tools;

import picocli.CommandLine.IVersionProvider;

/**
 * The version {@code --version} prints: this build's, from the jar manifest's {@code Implementation-Version}, and
 * the Java runtime's, since the store's behaviour depends on it.
 */
final class RfsVersion implements IVersionProvider
{
    @Override
    public String[] getVersion()
    {
        final String version = Rfs.class.getPackage().getImplementationVersion();
        return new String[]{
            "rfs " + (version != null ? version : "(development build)"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
