package ai.calling.common.internal;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

import ai.calling.common.ApiException;

/**
 * A query string carrying an encoded NUL ({@code %00}) is refused with 400: no parameter of this API
 * may hold one, and PostgreSQL cannot store or compare it. (Tomcat already refuses it in the path and
 * raw in the request line.)
 */
class NulQueryFilter extends OncePerRequestFilter {

    private final HandlerExceptionResolver errors;

    NulQueryFilter(HandlerExceptionResolver errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && query.contains("%00")) {
            errors.resolveException(request, response, null,
                    ApiException.badRequest("The query string must not contain the NUL character (%00)"));
            return;
        }
        chain.doFilter(request, response);
    }
}
