# Lint-only case file for AIO202: every unannotated line asserts silence.
import asyncio
import os
import shutil
import socket
import subprocess
import urllib.request
from subprocess import run as sh
from urllib.request import urlopen

import httpx
import mypkg.db
import requests


async def calls(url):
    await asyncio.to_thread(requests.get, url)  # error: AIO202
    await asyncio.to_thread(requests.request, "GET", url)  # error: AIO202
    await asyncio.to_thread(httpx.post, url)  # error: AIO202
    await asyncio.to_thread(urllib.request.urlopen, url)  # error: AIO202
    await asyncio.to_thread(urlopen, url)  # error: AIO202
    await asyncio.to_thread(sh, ["ls"])  # error: AIO202
    await asyncio.to_thread(subprocess.check_output, ["ls"])  # error: AIO202
    await asyncio.to_thread(os.system, "ls")  # error: AIO202
    await asyncio.to_thread(os.waitpid, 1, 0)  # error: AIO202
    await asyncio.to_thread(input)  # error: AIO202
    await asyncio.to_thread(socket.create_connection, ("example.invalid", 80))  # error: AIO202
    await asyncio.to_thread(shutil.rmtree, "build")  # error: AIO202
    await asyncio.to_thread(shutil.make_archive, "dist/site", "zip", "build")  # error: AIO202
    await asyncio.to_thread(shutil.unpack_archive, "dist/site.zip", "out")  # error: AIO202
    data = (await asyncio.to_thread(requests.get, url)).json()  # error: AIO202
    await asyncio.to_thread(mypkg.db.query, "select 1")  # error: AIO202

    # Near misses: async clients, references, non-blocking constructors, nested sync code.
    async with httpx.AsyncClient() as client:
        await client.get(url)
    await asyncio.create_subprocess_exec("ls")
    await asyncio.to_thread(requests.get, url)
    session = requests.Session()
    path = os.path.join("a", "b")
    shutil.which("make")
    shutil.get_archive_formats()
    process = await asyncio.to_thread(subprocess.Popen, ["ls"])  # error: AIO202
    mypkg.db.connect()

    def inner():
        requests.get(url)

    return data, session, path, process, inner, requests.get


def sync(url):
    requests.get(url)


async def shadowed(input, requests):
    input()
    requests.get("x")
