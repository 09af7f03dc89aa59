package io.rfs.store;

/**
 * A setting with a value rfs cannot use; the message names the setting and the value.
 */
public final class ConfigurationException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param name  the setting.
     * @param value its value.
     * @param rule  what it must be.
     */
    public ConfigurationException(final String name, final Object value, final String rule)
    {
        super(name + "=" + value + ": " + rule);
    }
}
