package ai.calling.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code GOOGLE_CLIENT_ID}/{@code _SECRET}, {@code GITHUB_...} and {@code LINKEDIN_...} into
 * Spring Security OAuth2 client registrations, only for the providers whose client id is set: a
 * registration with an empty id would stop start-up, and a provider that is not configured must
 * simply be absent. Google and GitHub take Spring's built-in provider settings; LinkedIn's
 * (OpenID Connect) are given here.
 */
public class SocialSignInEnvironment implements EnvironmentPostProcessor {

    private static final String REGISTRATION = "spring.security.oauth2.client.registration.";
    private static final String PROVIDER = "spring.security.oauth2.client.provider.";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String provider : new String[] { "google", "github", "linkedin" }) {
            String prefix = provider.toUpperCase();
            String clientId = environment.getProperty(prefix + "_CLIENT_ID");
            if (clientId == null || clientId.isBlank()) {
                continue;
            }
            properties.put(REGISTRATION + provider + ".client-id", clientId);
            properties.put(REGISTRATION + provider + ".client-secret", environment.getProperty(prefix + "_CLIENT_SECRET", ""));
            if (provider.equals("github")) {
                properties.put(REGISTRATION + "github.scope", "read:user,user:email");
            }
            if (provider.equals("linkedin")) {
                properties.put(REGISTRATION + "linkedin.client-authentication-method", "client_secret_post");
                properties.put(REGISTRATION + "linkedin.authorization-grant-type", "authorization_code");
                properties.put(REGISTRATION + "linkedin.redirect-uri", "{baseUrl}/login/oauth2/code/{registrationId}");
                properties.put(REGISTRATION + "linkedin.scope", "openid,profile,email");
                properties.put(PROVIDER + "linkedin.authorization-uri", "https://www.linkedin.com/oauth/v2/authorization");
                properties.put(PROVIDER + "linkedin.token-uri", "https://www.linkedin.com/oauth/v2/accessToken");
                properties.put(PROVIDER + "linkedin.user-info-uri", "https://api.linkedin.com/v2/userinfo");
                properties.put(PROVIDER + "linkedin.jwk-set-uri", "https://www.linkedin.com/oauth/openid/jwks");
                properties.put(PROVIDER + "linkedin.user-name-attribute", "sub");
            }
        }
        if (!properties.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource("socialSignIn", properties));
        }
    }
}
