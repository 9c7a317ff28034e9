package ai.calling.common.internal;

import java.util.Map;

import javax.sql.DataSource;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import com.zaxxer.hikari.HikariDataSource;

import ai.calling.common.ReportingRead;

/**
 * Sends the queries of a {@link ReportingRead} GET request to the read replica, all others to the
 * primary. The choice is made per request thread, by an interceptor that runs after the security
 * filters (whose session and key bookkeeping writes stay on the primary) and before the
 * controller opens its transaction; the connection is taken when the transaction begins.
 */
public final class ReportingReadRouting extends AbstractRoutingDataSource implements HandlerInterceptor, AutoCloseable {

    private static final ThreadLocal<Boolean> REPORTING = new ThreadLocal<>();

    private final HikariDataSource primary;
    private final HikariDataSource replica;

    public ReportingReadRouting(HikariDataSource primary, HikariDataSource replica) {
        this.primary = primary;
        this.replica = replica;
        setTargetDataSources(Map.of(Target.PRIMARY, primary, Target.REPLICA, replica));
        setDefaultTargetDataSource(primary);
        afterPropertiesSet();
    }

    enum Target {
        PRIMARY, REPLICA
    }

    @Override
    protected Object determineCurrentLookupKey() {
        return Boolean.TRUE.equals(REPORTING.get()) ? Target.REPLICA : Target.PRIMARY;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if ("GET".equals(request.getMethod()) && handler instanceof HandlerMethod method
                && method.hasMethodAnnotation(ReportingRead.class)) {
            REPORTING.set(Boolean.TRUE);
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception failure) {
        REPORTING.remove();
    }

    public DataSource primary() {
        return primary;
    }

    public DataSource replica() {
        return replica;
    }

    @Override
    public void close() {
        replica.close();
        primary.close();
    }
}
