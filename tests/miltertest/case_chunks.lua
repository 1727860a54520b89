-- case_chunks.lua - the verdict does not depend on how the body is cut:
-- the same ~70 KB body sent in 1-byte chunks and in 65,535-byte chunks
-- (the largest libmilter body chunk) gets the same X-Vigie-Status. The
-- trigger word straddles byte 65,535, so the big chunks cut it in two.
dofile(dir .. "/common.lua")

-- body_with - ~70 KB of text lines with WORD across offset 65,535
function body_with(word)
	local parts, len, n = {}, 0, 0
	local cut = 65535 - math.floor(#word / 2)
	while len < cut - 80 do
		n = n + 1
		local line = string.format("line %05d: an ordinary sentence of filler text.\r\n", n)
		table.insert(parts, line)
		len = len + #line
	end
	local pad = string.rep("x", cut - len - 1) .. " "
	table.insert(parts, pad .. word .. " end of that line.\r\n")
	len = len + #pad + #word + 19
	while len < 70000 do
		n = n + 1
		local line = string.format("line %05d: more filler after the word.\r\n", n)
		table.insert(parts, line)
		len = len + #line
	end
	return table.concat(parts)
end

-- verdict - status (or reply, for a rejection) of BODY sent in N-byte chunks
function verdict(qid, subject, body, n)
	local conn = open_conn()
	local reply, status = message(conn, qid, subject, body, n)
	if is_reject(conn, reply) then
		status = "reject (550 5.7.1)"
	end
	mt.disconnect(conn)
	return tostring(status)
end

local cases = {
	{ "bodytag", "vigie-e2e-bodytag", "tag score=5.0" },
	{ "reject", "vigie-e2e-reject", "reject (550 5.7.1)" },
	{ "clean", "vigie-e2e-nothing", nil },
}
for _, c in ipairs(cases) do
	local body = body_with(c[2])
	local one = verdict("CHUNK1" .. c[1], "chunks " .. c[1], body, 1)
	local big = verdict("CHUNKB" .. c[1], "chunks " .. c[1], body, 65535)
	verify(one == big, c[1] .. ": 1-byte and 65,535-byte chunks give the same verdict",
	    one .. " vs " .. big, "equal")
	if c[3] then
		verify(big == c[3], c[1] .. ": verdict is " .. c[3], big, c[3])
	else
		verify(action_of(big) == "accept", c[1] .. ": verdict is accept", big, "accept score=...")
	end
end

-- quoted-printable: the word is cut by a soft line break, then by chunks
local qp = "Bonjour,\r\nle mot vigie-e2e-=\r\nbodytag est coup=C3=A9 en deux.\r\n"
local function qp_verdict(qid, n)
	local conn = open_conn()
	start_message(conn, qid, "chunks qp", { { "Content-Transfer-Encoding", "quoted-printable" } })
	send_body(conn, qp, n)
	local reply, status = end_message(conn)
	mt.disconnect(conn)
	return tostring(status)
end
local one, big = qp_verdict("CHUNKQP1", 1), qp_verdict("CHUNKQPB", 65535)
verify(one == big, "quoted-printable soft break: same verdict in 1-byte chunks",
    one .. " vs " .. big, "equal")
verify(big == "tag score=5.0", "quoted-printable soft break: word found across it",
    big, "tag score=5.0")
finish()
