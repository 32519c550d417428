# Lint-and-fix case file for AIO501: every unannotated line asserts silence.
import asyncio
import operator


async def fetch(i, url):
    await asyncio.sleep(0)
    return i, url.upper()


async def keyed(url, *, index):
    await asyncio.sleep(0)
    return url, index


async def score(i, url):
    await asyncio.sleep(0)
    return len(url), url


async def no_key(urls):
    results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
    return results


async def lambda_key(urls):
    results = await asyncio.gather(*[fetch(i, urls[i]) for i in range(len(urls))])
    ordered = results  # error: AIO501
    return ordered


async def itemgetter_key(urls):
    results = await asyncio.gather(*(keyed(url, index=i) for i, url in enumerate(urls)))
    return results  # error: AIO501


async def via_tasks(urls):
    tasks = [asyncio.create_task(fetch(i, url)) for i, url in enumerate(urls)]
    results = await asyncio.gather(*tasks)
    return results


async def position_lookup(urls):
    results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
    return results  # error: AIO501


async def shares_its_line(urls):
    # Reported without a fix: the sort shares its line with another statement.
    results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
    results.sort(); print(results)  # error: AIO501
    return results


class Crawler:
    def __init__(self, urls):
        self.urls = urls

    async def fetch(self, i, url):
        await asyncio.sleep(0)
        return i, url.upper()

    async def page(self, url):
        await asyncio.sleep(0)
        return Page(url)

    async def score(self, i, url):
        await asyncio.sleep(0)
        return len(url), i

    async def crawl(self):
        results = await asyncio.gather(*(self.fetch(i, url) for i, url in enumerate(self.urls)))
        return results

    async def pages(self):
        pages = await asyncio.gather(*[self.page(url) for url in self.urls])
        return pages  # error: AIO501

    async def scored(self):
        # Near miss: the method returns the index second; the sort orders by the score first.
        results = await asyncio.gather(*(self.score(i, url) for i, url in enumerate(self.urls)))
        results.sort()
        return results


class Page:
    def __init__(self, url):
        self.url = url


async def page(url):
    await asyncio.sleep(0)
    return Page(url)


async def lookup_without_index(urls):
    tasks = [asyncio.create_task(page(u)) for u in urls]
    pages = await asyncio.gather(*tasks)
    return pages


async def lookup_near_misses(urls, others):
    pages = await asyncio.gather(*(page(u) for u in urls))
    by_other = sorted(pages, key=lambda p: others.index(p.url))
    constant = sorted(pages, key=lambda p: urls.index(urls[0]))
    return by_other, constant


# Near misses: sorting by something the coroutines computed, or not by position.
async def by_score(urls):
    results = await asyncio.gather(*(score(i, url) for i, url in enumerate(urls)))
    results.sort()
    return results


async def by_length(urls):
    results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
    results.sort(key=lambda r: len(r[1]))
    return sorted(results, key=operator.itemgetter(1))


async def reversed_order(urls):
    results = await asyncio.gather(*(fetch(i, url) for i, url in enumerate(urls)))
    return sorted(results, reverse=True)


async def not_gathered(urls):
    results = [await fetch(i, url) for i, url in enumerate(urls)]
    results.sort()
    return results
