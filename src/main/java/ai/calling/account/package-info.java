/**
 * The account as a whole, across modules: the export of everything a tenant has (GET
 * /api/auth/me/export). It owns no table and reads the other modules' data through the reporting
 * views only.
 */
package ai.calling.account;
