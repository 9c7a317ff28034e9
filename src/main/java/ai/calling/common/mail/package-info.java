/** Outgoing e-mail: the {@link ai.calling.common.mail.Mailer} port and its SMTP and logging implementations. */
@NamedInterface("mail")
package ai.calling.common.mail;

import org.springframework.modulith.NamedInterface;
