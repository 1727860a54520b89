-- common.lua - helpers for vigie's miltertest cases (tests/miltertest/case_*.lua).
--
-- run.sh starts vigie-milter with tests/e2e/vigie-test.conf (rules
-- tests/e2e/e2e.rules: subject word vigie-e2e-tag scores 5, subject word
-- vigie-e2e-quarantine 9, body word vigie-e2e-reject 20, body word
-- vigie-e2e-bodytag 5; thresholds 4/8/15) and runs each case as
--   miltertest -D sock=unix:/path -D dir=tests/miltertest -s case_x.lua
--
-- A case reports with verify() ("ok - ..." / "not ok - ... (got X, want
-- Y)" on stdout, counted by run.sh) and aborts with expect() when a
-- protocol step itself fails. finish() makes miltertest exit non-zero
-- when a verify() failed.
--
-- miltertest limits worth knowing (opendkim's miltertest.c, 2.11):
-- mt.header() copies name and value into a 1024-byte stack buffer without
-- a bound, so no header here may be longer than ~1000 bytes (the 90 KiB
-- header case is case_long_header.py, a raw protocol client); mt.eom()
-- reads each filter request into a 1024-byte buffer the same way;
-- mt.eom_check(MT_SMTPREPLY, ...) compares the whole reply text.

failures = 0

-- verify - a counted check that does not stop the case
function verify(cond, what, got, want)
	if cond then
		print("ok - " .. what)
	else
		failures = failures + 1
		print(string.format("not ok - %s (got %s, want %s)", what,
		    tostring(got), tostring(want)))
	end
	return cond
end

-- expect - a protocol step that must succeed, or the case stops here
function expect(cond, what, got, want)
	if not cond then
		failures = failures + 1
		print(string.format("not ok - %s (got %s, want %s)", what,
		    tostring(got), tostring(want)))
		error(what, 0)
	end
end

-- finish - end of a case: a non-zero exit status when a check failed
function finish()
	if failures > 0 then
		error(failures .. " check(s) failed", 0)
	end
end

-- step - run one mt.* call that returns nil on success
function step(what, err)
	expect(err == nil, what, err, "nil")
end

-- reply_name - a milter reply code as a readable word
function reply_name(r)
	local names = {
		[SMFIR_CONTINUE] = "continue", [SMFIR_ACCEPT] = "accept",
		[SMFIR_REJECT] = "reject", [SMFIR_TEMPFAIL] = "tempfail",
		[SMFIR_DISCARD] = "discard", [SMFIR_REPLYCODE] = "replycode",
	}
	return names[r] or tostring(r)
end

-- skipped - the filter asked not to get this protocol step (SMFIP_NO*)
function skipped(conn, opt)
	return opt ~= nil and mt.test_option(conn, opt)
end

-- exchange - one protocol step: skipped when the filter negotiated NO_OPT
-- away, its reply checked (must be continue) unless it negotiated NR_OPT
function exchange(conn, what, no_opt, nr_opt, fn, ...)
	if skipped(conn, no_opt) then
		return
	end
	step(what, fn(conn, ...))
	if not skipped(conn, nr_opt) then
		local r = mt.getreply(conn)
		expect(r == SMFIR_CONTINUE, "reply to " .. what, reply_name(r), "continue")
	end
end

-- open_conn - connect (retrying for up to 5 s), send connection and HELO info
function open_conn()
	local conn = mt.connect(sock, 20, 0.25)
	expect(conn ~= nil, "mt.connect(" .. tostring(sock) .. ")", "nil", "a connection")
	exchange(conn, "connect", SMFIP_NOCONNECT, SMFIP_NR_CONN, mt.conninfo,
	    "client.vigie-test.example", "127.0.0.1")
	exchange(conn, "HELO", SMFIP_NOHELO, SMFIP_NR_HELO, mt.helo, "client.vigie-test.example")
	return conn
end

-- start_message - envelope (with Postfix's queue id macro "i") and headers
function start_message(conn, qid, subject, extra)
	mt.macro(conn, SMFIC_MAIL, "i", qid)
	exchange(conn, qid .. ": MAIL", SMFIP_NOMAIL, SMFIP_NR_MAIL, mt.mailfrom,
	    "<sender@example.org>")
	exchange(conn, qid .. ": RCPT", SMFIP_NORCPT, SMFIP_NR_RCPT, mt.rcptto,
	    "<user@vigie-test.example>")
	local hdrs = {
		{ "From", "Sender <sender@example.org>" },
		{ "To", "user@vigie-test.example" },
		{ "Subject", subject },
		{ "Date", "Tue, 01 Apr 2025 10:00:00 +0200" },
		{ "Message-ID", "<" .. qid .. "@example.org>" },
		{ "MIME-Version", "1.0" },
		{ "Content-Type", "text/plain; charset=utf-8" },
	}
	for _, h in ipairs(extra or {}) do
		table.insert(hdrs, h)
	end
	for _, h in ipairs(hdrs) do
		exchange(conn, qid .. ": header " .. h[1], SMFIP_NOHDRS, SMFIP_NR_HDR, mt.header,
		    h[1], h[2])
	end
	exchange(conn, qid .. ": end of headers", SMFIP_NOEOH, SMFIP_NR_EOH, mt.eoh)
end

-- send_body - body text in chunks of at most n bytes
function send_body(conn, text, n)
	if skipped(conn, SMFIP_NOBODY) then
		return
	end
	local check = not skipped(conn, SMFIP_NR_BODY)
	local i = 1
	while i <= #text do
		step("mt.bodystring", mt.bodystring(conn, string.sub(text, i, i + n - 1)))
		if check then
			local r = mt.getreply(conn)
			if r == SMFIR_SKIP then
				return
			end
			expect(r == SMFIR_CONTINUE, "reply to a body chunk", reply_name(r), "continue")
		end
		i = i + n
	end
end

-- end_message - end of message; returns the reply word and X-Vigie-Status
function end_message(conn)
	step("mt.eom", mt.eom(conn))
	return reply_name(mt.getreply(conn)), mt.getheader(conn, "X-Vigie-Status", 0)
end

-- message - a whole message; returns the reply word and X-Vigie-Status
function message(conn, qid, subject, body, chunk)
	start_message(conn, qid, subject)
	send_body(conn, body, chunk or 65535)
	return end_message(conn)
end

-- is_reject - the end-of-message reply was vigie's 550 5.7.1
function is_reject(conn, reply)
	return reply == "replycode" and
	    mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1", "vigie e2e: rejected")
end

-- action_of - the action word of an X-Vigie-Status value
function action_of(status)
	if status == nil then
		return nil
	end
	return string.match(status, "^(%a+)")
end
