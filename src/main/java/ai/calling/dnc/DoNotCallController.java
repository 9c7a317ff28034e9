package ai.calling.dnc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import ai.calling.common.CurrentUser;
import ai.calling.common.PageParams;
import ai.calling.common.PageResponse;
import ai.calling.dnc.DoNotCallList.Entry;

/** The caller's do-not-call list, and the platform's list for admins (audited). */
@RestController
class DoNotCallController {

    private final DoNotCallList list;

    DoNotCallController(DoNotCallList list) {
        this.list = list;
    }

    @Operation(summary = "Add a number to your do-not-call list")
    @PostMapping("/api/do-not-call")
    @ResponseStatus(HttpStatus.CREATED)
    Entry add(@AuthenticationPrincipal CurrentUser user, @Valid @RequestBody NumberToList body) {
        return list.add(user.id(), body.phoneNumber(), body.reason(), user.memberId());
    }

    @Operation(summary = "List your do-not-call list")
    @GetMapping("/api/do-not-call")
    PageResponse<Entry> list(@AuthenticationPrincipal CurrentUser user, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return list.list(user.id(), PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Take a number off your do-not-call list")
    @DeleteMapping("/api/do-not-call/{phoneNumber}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@AuthenticationPrincipal CurrentUser user, @PathVariable String phoneNumber) {
        list.remove(user.id(), phoneNumber);
    }

    @Operation(summary = "Add a number to the platform's do-not-call list")
    @PostMapping("/api/admin/do-not-call")
    @ResponseStatus(HttpStatus.CREATED)
    Entry addToPlatform(@AuthenticationPrincipal CurrentUser admin, @Valid @RequestBody NumberToList body,
            HttpServletRequest request) {
        return list.addToPlatform(admin, body.phoneNumber(), body.reason(), request);
    }

    @Operation(summary = "List the platform's do-not-call list")
    @GetMapping("/api/admin/do-not-call")
    PageResponse<Entry> platformList(@RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return list.list(null, PageParams.of(page, size, Sort.unsorted()));
    }

    @Operation(summary = "Take a number off the platform's do-not-call list")
    @DeleteMapping("/api/admin/do-not-call/{phoneNumber}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeFromPlatform(@AuthenticationPrincipal CurrentUser admin, @PathVariable String phoneNumber,
            HttpServletRequest request) {
        list.removeFromPlatform(admin, phoneNumber, request);
    }

    record NumberToList(@NotBlank @Size(max = 50) String phoneNumber, @Size(max = 500) String reason) {
    }
}
