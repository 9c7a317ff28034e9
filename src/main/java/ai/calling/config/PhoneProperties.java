package ai.calling.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Phone number handling.
 *
 * @param defaultRegion ISO 3166 region assumed for numbers written without a country code
 *                      ({@code DEFAULT_PHONE_REGION})
 */
@ConfigurationProperties("app.phone")
public record PhoneProperties(@DefaultValue("US") String defaultRegion) {
}
