package ai.calling.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
        ApplicationProperties.class,
        SecurityProperties.class,
        BolnaProperties.class,
        OpenAiProperties.class,
        StripeProperties.class,
        PhoneProperties.class,
        BillingProperties.class,
        HttpLimitsProperties.class,
        CampaignProperties.class,
        ReplicaProperties.class,
        ApiKeyProperties.class,
        OutboundWebhookProperties.class,
        LiveEventProperties.class })
class ConfigurationPropertiesConfig {
}
