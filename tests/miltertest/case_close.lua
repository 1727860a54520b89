-- case_close.lua - connections closed before any message: the close
-- callback may come with no context (libmilter calls xxfi_close even when
-- xxfi_connect never ran). The milter must survive them all.
dofile(dir .. "/common.lua")

-- 1: open the socket and close it at once, not even option negotiation
local c1 = mt.connect(sock, 20, 0.25)
expect(c1 ~= nil, "mt.connect", "nil", "a connection")
mt.disconnect(c1, false)

-- 2: negotiate, then QUIT
local c2 = mt.connect(sock, 20, 0.25)
expect(c2 ~= nil, "mt.connect", "nil", "a connection")
step("mt.negotiate", mt.negotiate(c2, nil, nil, nil))
mt.disconnect(c2)

-- 3: connection info, then an abrupt close
local c3 = open_conn()
mt.disconnect(c3, false)

-- 4: envelope only, then QUIT
local c4 = open_conn()
mt.macro(c4, SMFIC_MAIL, "i", "CLOSE4")
exchange(c4, "CLOSE4: MAIL", SMFIP_NOMAIL, SMFIP_NR_MAIL, mt.mailfrom, "<sender@example.org>")
mt.disconnect(c4)

-- 5: halfway through a body, then an abrupt close
local c5 = open_conn()
start_message(c5, "CLOSE5", "vigie-e2e-tag cut short")
send_body(c5, "a body cut short\r\n", 65535)
mt.disconnect(c5, false)

-- the milter still answers
mt.sleep(0.2)
local c6 = open_conn()
local reply, status = message(c6, "CLOSE6", "vigie-e2e-tag after closes", "Hello.\r\n")
verify(status == "tag score=5.0", "after early closes: a new connection gets its verdict",
    status, "tag score=5.0")
mt.disconnect(c6)
finish()
