package ai.calling.config;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the product as a whole.
 *
 * @param publicBaseUrl public URL of this backend ({@code PUBLIC_BASE_URL}); webhook URLs given to
 *                      Bolna are built from it
 * @param frontendBaseUrl the web app's URL ({@code FRONTEND_BASE_URL}); links in mails open its pages,
 *                      which post the mailed token to this API
 * @param database      start-up behaviour towards the configured database
 */
@ConfigurationProperties("app")
public record ApplicationProperties(
        @DefaultValue("http://localhost:8080") URI publicBaseUrl,
        @DefaultValue("http://localhost:3000") URI frontendBaseUrl,
        @DefaultValue Database database) {

    /** A page of the web app with a mailed token as its {@code token} query parameter. */
    public String frontendLink(String page, String token) {
        String base = frontendBaseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + page + "?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /**
     * @param createIfMissing create the configured database at start-up when the server is
     *                        reachable but the database does not exist yet
     */
    public record Database(@DefaultValue("false") boolean createIfMissing) {
    }
}
