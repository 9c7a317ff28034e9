package ai.calling.common;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The container's error page ({@code /error}), which serves what fails outside Spring MVC (in a
 * servlet filter, for instance the bearer-token check when the database is gone), as the same
 * problem details as everything else. Asked for directly, {@code /error} is a path like any other
 * that does not exist: 404.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    private final ProblemDetailsAdvice advice;

    ProblemErrorController(ProblemDetailsAdvice advice) {
        this.advice = advice;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (failure instanceof Throwable e) {
            return advice.failure(e, request);
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        if (status == null || !status.isError()) {
            status = HttpStatus.NOT_FOUND;
        }
        String detail = status == HttpStatus.NOT_FOUND ? "There is nothing at this path" : status.getReasonPhrase();
        return ProblemDetailsAdvice.respond(
                ProblemDetailsAdvice.problem(status, status.getReasonPhrase(), detail, request), java.util.Map.of());
    }
}
