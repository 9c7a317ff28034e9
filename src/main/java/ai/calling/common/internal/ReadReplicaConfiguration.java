package ai.calling.common.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.micrometer.core.instrument.MeterRegistry;

import ai.calling.config.ReplicaProperties;

/**
 * With {@code SPRING_DATASOURCE_REPLICA_URL} set, the application's one DataSource routes report
 * reads to the replica (decision 0018). The primary pool is built as Spring Boot builds it
 * (spring.datasource.*, spring.datasource.hikari.*); the replica pool takes the primary's user
 * unless it has its own, starts with no connection and is read-only. Both pools publish the
 * usual hikaricp metrics under their names, "primary" and "replica".
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${app.datasource.replica.url:}' != ''")
class ReadReplicaConfiguration implements WebMvcConfigurer {

    private final ObjectProvider<ReportingReadRouting> routing;

    ReadReplicaConfiguration(ObjectProvider<ReportingReadRouting> routing) {
        this.routing = routing;
    }

    @Bean
    ReportingReadRouting dataSource(DataSourceProperties primaryProperties, ReplicaProperties replicaProperties,
            Environment environment, ObjectProvider<MeterRegistry> meters) {
        HikariDataSource primary = primaryProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(primary));
        primary.setPoolName("primary");

        HikariDataSource replica = new HikariDataSource();
        replica.setPoolName("replica");
        replica.setJdbcUrl(replicaProperties.url());
        replica.setUsername(blank(replicaProperties.username()) ? primaryProperties.determineUsername()
                : replicaProperties.username());
        replica.setPassword(blank(replicaProperties.password()) ? primaryProperties.determinePassword()
                : replicaProperties.password());
        replica.setMaximumPoolSize(replicaProperties.maximumPoolSize());
        replica.setMinimumIdle(0);
        replica.setReadOnly(true);
        replica.setConnectionTimeout(primary.getConnectionTimeout());
        replica.setDataSourceProperties(primary.getDataSourceProperties());

        meters.ifAvailable(registry -> {
            primary.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            replica.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        });
        return new ReportingReadRouting(primary, replica);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(routing.getObject());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
