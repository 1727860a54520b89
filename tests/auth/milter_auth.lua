-- milter_auth.lua - vigie-milter doing its own SPF and DMARC, as
-- tests/auth/test_auth.sh starts it (test zones on loopback):
--   miltertest -D sock=unix:/path -D dir=tests/miltertest -s milter_auth.lua
-- 1. From the brand's exact domain, sent from an address its SPF does not
--    list, unsigned: SPF fail, DMARC fail, p=reject: rejected.
-- 2. The same message from an address the brand's SPF lists: SPF pass,
--    DMARC pass, BRAND_AUTHENTICATED: accepted with a negative score,
--    and vigie's own Authentication-Results field (add_authentication_results)
--    on top, under its authserv_id.
dofile(dir .. "/common.lua")

-- ameli - one message of the brand's shape from client ip
function ameli(qid, ip)
	local conn = mt.connect(sock, 20, 0.25)
	expect(conn ~= nil, "mt.connect(" .. tostring(sock) .. ")", "nil", "a connection")
	exchange(conn, "connect", SMFIP_NOCONNECT, SMFIP_NR_CONN, mt.conninfo,
	    "client.vigie-test.example", ip)
	exchange(conn, "HELO", SMFIP_NOHELO, SMFIP_NR_HELO, mt.helo, "mail.ameli.fr")
	mt.macro(conn, SMFIC_MAIL, "i", qid)
	exchange(conn, qid .. ": MAIL", SMFIP_NOMAIL, SMFIP_NR_MAIL, mt.mailfrom,
	    "<bounce@ameli.fr>")
	exchange(conn, qid .. ": RCPT", SMFIP_NORCPT, SMFIP_NR_RCPT, mt.rcptto,
	    "<camille.martin@example.org>")
	local hdrs = {
		{ "From", "\"Assurance Maladie\" <info@ameli.fr>" },
		{ "To", "camille.martin@example.org" },
		{ "Subject", "Votre attestation de droits est disponible" },
		{ "Date", "Fri, 04 Dec 2026 09:00:00 +0100" },
		{ "Message-ID", "<" .. qid .. "@ameli.fr>" },
	}
	for _, h in ipairs(hdrs) do
		exchange(conn, qid .. ": header " .. h[1], SMFIP_NOHDRS, SMFIP_NR_HDR,
		    mt.header, h[1], h[2])
	end
	exchange(conn, qid .. ": end of headers", SMFIP_NOEOH, SMFIP_NR_EOH, mt.eoh)
	send_body(conn, "Bonjour,\r\nVotre attestation est disponible dans votre compte ameli.\r\n",
	    65535)
	local reply, status = end_message(conn)
	local field = mt.getheader(conn, "Authentication-Results", 0)
	mt.disconnect(conn)
	return reply, status, field
end

local reply, status = ameli("AUTH1", "203.0.113.9")
verify(reply == "replycode", "forged brand sender from an unlisted IP: rejected",
    reply, "replycode (550)")

local field
reply, status, field = ameli("AUTH2", "192.0.2.5")
verify(reply == "accept" or reply == "continue", "brand mail from a listed IP: accepted",
    reply, "accept or continue")
verify(status ~= nil and string.match(status, "^accept score=%-") ~= nil,
    "brand mail from a listed IP: authenticated (negative score)", status,
    "accept score=-...")
local want = "mx.vigie-test.example; spf=pass smtp.mailfrom=ameli.fr; dkim=none; " ..
    "dmarc=pass policy.dmarc=reject header.from=ameli.fr"
verify(field == want, "vigie's own Authentication-Results field added", field, want)
finish()
