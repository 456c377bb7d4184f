/* jpage: paging for column lists; records come from the inline datastore, the rest from proxyUrl */
(function($){$.fn.jpage=function(o){var s=$.extend({perPage:15,groupSize:3,proxyUrl:'/module/web/jpage/dataproxy.jsp'},o);return this.each(function(){var self=$(this);self.data('jpage',s);});};})(window.jQuery||{fn:{}});
