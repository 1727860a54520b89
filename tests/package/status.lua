-- status.lua - one clean message through the installed vigie-milter, with
-- miltertest (the Sendmail side of the protocol), for test_package.sh.
--
--   miltertest -D sock=unix:/path -s tests/package/status.lua
--
-- Prints "ok - ..." / "not ok - ..." lines; exits non-zero when one failed.

failures = 0

-- check - a counted check
function check(cond, what, got)
	if cond then
		print("ok - " .. what)
	else
		failures = failures + 1
		print("not ok - " .. what .. " (got " .. tostring(got) .. ")")
	end
end

-- must - a protocol step that has to succeed
function must(err, what)
	if err ~= nil then
		error(what .. ": " .. tostring(err), 0)
	end
end

local conn = mt.connect(sock, 20, 0.25)
if conn == nil then
	error("mt.connect(" .. tostring(sock) .. ") failed", 0)
end
-- send - one protocol step, unless the filter negotiated it away (SMFIP_NO*)
function send(opt, what, fn, ...)
	if opt ~= nil and mt.test_option(conn, opt) then
		return
	end
	must(fn(conn, ...), what)
end

send(SMFIP_NOCONNECT, "connect", mt.conninfo, "client.example.org", "192.0.2.1")
send(SMFIP_NOHELO, "helo", mt.helo, "client.example.org")
mt.macro(conn, SMFIC_MAIL, "i", "PKGTEST1")
send(SMFIP_NOMAIL, "mail", mt.mailfrom, "<someone@example.org>")
send(SMFIP_NORCPT, "rcpt", mt.rcptto, "<user@example.net>")
send(SMFIP_NOHDRS, "header From", mt.header, "From", "Someone <someone@example.org>")
send(SMFIP_NOHDRS, "header To", mt.header, "To", "user@example.net")
send(SMFIP_NOHDRS, "header Subject", mt.header, "Subject", "Lunch on Friday")
send(SMFIP_NOHDRS, "header X-Vigie-Status", mt.header, "X-Vigie-Status", "accept score=0.0 forged")
send(SMFIP_NOEOH, "eoh", mt.eoh)
send(SMFIP_NOBODY, "body", mt.bodystring, "Shall we meet at noon?\r\n")
must(mt.eom(conn), "eom")
check(mt.getreply(conn) == SMFIR_ACCEPT or mt.getreply(conn) == SMFIR_CONTINUE,
    "clean message: accepted", mt.getreply(conn))
check(mt.eom_check(conn, MT_HDRADD, "X-Vigie-Status") or
    mt.eom_check(conn, MT_HDRINSERT, "X-Vigie-Status"),
    "clean message: X-Vigie-Status added", mt.getheader(conn, "X-Vigie-Status", 0))
check(mt.eom_check(conn, MT_HDRCHANGE, "X-Vigie-Status"),
    "clean message: forged X-Vigie-Status removed", "no change request")
mt.disconnect(conn)
if failures > 0 then
	error(failures .. " check(s) failed", 0)
end
